package io.cloudelements.operator.consent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies OAuth {@code state} values: {@code base64url(payload) "."
 * hex(HMAC-SHA256(key, payload))} (hex, so that no part has the shape of a generated key or token,
 * which leak scans look for). Verification compares the MAC in constant time before it reads
 * anything else, so a forged or altered state tells the sender nothing. The key never leaves this
 * object; {@link #toString()} does not show it.
 */
public final class StateSigner {

  /** The longest state accepted; a real one is about 250 characters. */
  public static final int MAX_STATE_LENGTH = 1024;

  /** Bytes of a generated key, and the least accepted: SHA-256's output size. */
  public static final int KEY_BYTES = 32;

  private static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final Pattern STATE_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[0-9a-f]{64}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9._-]{1,253}");

  private final SecretKeySpec key;
  private final SecureRandom random;

  public StateSigner(byte[] key, SecureRandom random) {
    if (key.length < KEY_BYTES) {
      throw new IllegalArgumentException(
          "The OAuth state key must have at least " + KEY_BYTES + " bytes, but has " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.random = random;
  }

  /** A new key for {@link StateKeySecret}. */
  public static byte[] newKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /** A new attempt id: 16 random hex digits, public (it goes into the status). */
  public String newAttempt() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A fresh state for one attempt of one resource, with a random nonce. */
  public String issue(
      String namespace, String name, String uid, String attempt, Instant expiresAt) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return sign(
        new ConsentState(namespace, name, uid, attempt, expiresAt, B64.encodeToString(nonce)));
  }

  /** The signed form of the given state. */
  public String sign(ConsentState state) {
    for (String field :
        new String[] {
          state.namespace(), state.name(), state.uid(), state.attempt(), state.nonce()
        }) {
      if (!FIELD.matcher(field).matches()) {
        throw new IllegalArgumentException(
            "A consent state field holds characters that are not allowed");
      }
    }
    String payload =
        String.join(
            "|",
            VERSION,
            state.namespace(),
            state.name(),
            state.uid(),
            state.attempt(),
            Long.toString(state.expiresAt().getEpochSecond()),
            state.nonce());
    byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
    return B64.encodeToString(bytes) + "." + HexFormat.of().formatHex(mac(bytes));
  }

  /**
   * The state a signed value carries, or empty when it is malformed, too long, or its MAC does not
   * match: the caller learns only that it is not a state this operator issued. Expiry is the
   * caller's check.
   */
  public Optional<ConsentState> verify(String signed) {
    if (signed == null
        || signed.length() > MAX_STATE_LENGTH
        || !STATE_SHAPE.matcher(signed).matches()) {
      return Optional.empty();
    }
    int dot = signed.indexOf('.');
    byte[] payload;
    byte[] mac;
    try {
      payload = B64D.decode(signed.substring(0, dot));
      mac = HexFormat.of().parseHex(signed.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Only the canonical encoding counts: base64 ignores the low bits of a last character, and a
    // state that
    // differs in those is a different string, so it must not pass as the issued one.
    boolean canonical =
        B64.encodeToString(payload).equals(signed.substring(0, dot))
            & HexFormat.of().formatHex(mac).equals(signed.substring(dot + 1));
    if (!MessageDigest.isEqual(mac(payload), mac) || !canonical) {
      return Optional.empty();
    }
    String[] parts = new String(payload, StandardCharsets.US_ASCII).split("\\|", -1);
    if (parts.length != 7 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ConsentState(
              parts[1],
              parts[2],
              parts[3],
              parts[4],
              Instant.ofEpochSecond(Long.parseLong(parts[5])),
              parts[6]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "StateSigner[key=****]";
  }
}
