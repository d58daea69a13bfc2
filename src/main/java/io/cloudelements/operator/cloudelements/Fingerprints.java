package io.cloudelements.operator.cloudelements;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short one-way fingerprints that tell secret values apart without revealing them. */
public final class Fingerprints {

  /** One digest per thread: looking the algorithm up in the providers costs more than hashing. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(Fingerprints::newSha256);

  private Fingerprints() {}

  /** {@code sha256:<first 12 hex digits of SHA-256(value)>}. */
  public static String of(String value) {
    return "sha256:" + sha256Hex(value).substring(0, 12);
  }

  public static String sha256Hex(String value) {
    return HexFormat.of().formatHex(SHA_256.get().digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
