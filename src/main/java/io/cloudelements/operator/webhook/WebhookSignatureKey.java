package io.cloudelements.operator.webhook;

import io.cloudelements.operator.cloudelements.Fingerprints;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The key Cloud Elements signs event callbacks with ({@code event.notification.signature.key}).
 * HMAC uses the UTF-8 bytes of the key string as they are: the base64url text is not decoded.
 */
public final class WebhookSignatureKey {

  /** Random bytes in a generated key: 256 bits, the HMAC-SHA256 block output size. */
  public static final int GENERATED_BYTES = 32;

  private final String value;

  private WebhookSignatureKey(String value) {
    this.value = value;
  }

  /** A key given by the user or read back from the output Secret; must not be blank. */
  public static WebhookSignatureKey of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a webhook signature key must not be blank");
    }
    return new WebhookSignatureKey(value);
  }

  /** 32 random bytes written as base64url without padding: 43 characters. */
  public static WebhookSignatureKey generate(SecureRandom random) {
    byte[] bytes = new byte[GENERATED_BYTES];
    random.nextBytes(bytes);
    return new WebhookSignatureKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The key itself: only for the instance configuration and the output Secret. */
  public String value() {
    return value;
  }

  /**
   * {@code sha256:} and the first 12 hex digits of SHA-256 over the key's UTF-8 bytes; safe for
   * status.
   */
  public String fingerprint() {
    return Fingerprints.of(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookSignatureKey k && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "WebhookSignatureKey[" + fingerprint() + "]";
  }
}
