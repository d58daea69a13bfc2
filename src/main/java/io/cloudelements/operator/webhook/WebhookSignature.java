package io.cloudelements.operator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of an event callback, as Cloud Elements sends it: {@code
 * Elements-Webhook-Signature: sha256=<Base64(HMAC-SHA256(key, raw body))>}. Verification works on
 * the raw body bytes, never on re-serialized JSON, and compares in constant time.
 */
public final class WebhookSignature {

  public static final String SIGNATURE_HEADER = "Elements-Webhook-Signature";
  public static final String ID_HEADER = "Elements-Webhook-Id";
  public static final String PREFIX = "sha256=";
  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  /** The header value for {@code rawBody}: {@code sha256=} and the standard Base64 of the HMAC. */
  public static String sign(WebhookSignatureKey key, byte[] rawBody) {
    return PREFIX + Base64.getEncoder().encodeToString(hmac(key.value(), rawBody));
  }

  /**
   * True when {@code headerValue} is the signature of exactly these body bytes under {@code key}. A
   * missing or malformed header, or one without the {@code sha256=} prefix, is not valid.
   */
  public static boolean verify(WebhookSignatureKey key, byte[] rawBody, String headerValue) {
    if (headerValue == null || !headerValue.trim().startsWith(PREFIX)) {
      return false;
    }
    byte[] received;
    try {
      received = Base64.getDecoder().decode(headerValue.trim().substring(PREFIX.length()));
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(hmac(key.value(), rawBody), received);
  }

  private static byte[] hmac(String key, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(ALGORITHM + " is not usable in this JVM", e);
    }
  }
}
