package io.cloudelements.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final WebhookSignatureKey JEFE = WebhookSignatureKey.of("Jefe");
  private static final byte[] RFC_4231_DATA =
      "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

  /** RFC 4231 test case 2 (HMAC-SHA256 5bdcc146...64ec3843), in Base64. */
  private static final String RFC_4231_SIGNATURE =
      "sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=";

  @Test
  void signsLikeCloudElements() {
    assertThat(WebhookSignature.sign(JEFE, RFC_4231_DATA)).isEqualTo(RFC_4231_SIGNATURE);
  }

  @Test
  void acceptsTheRightSignature() {
    assertThat(WebhookSignature.verify(JEFE, RFC_4231_DATA, RFC_4231_SIGNATURE)).isTrue();
  }

  @Test
  void rejectsAnotherBody() {
    byte[] tampered = "what do ya want for nothing!".getBytes(StandardCharsets.US_ASCII);

    assertThat(WebhookSignature.verify(JEFE, tampered, RFC_4231_SIGNATURE)).isFalse();
  }

  @Test
  void rejectsAnotherKey() {
    assertThat(
            WebhookSignature.verify(
                WebhookSignatureKey.of("jefe"), RFC_4231_DATA, RFC_4231_SIGNATURE))
        .isFalse();
  }

  @Test
  void theKeyIsTheStringsUtf8BytesNotItsBase64Decoding() {
    WebhookSignatureKey key = WebhookSignatureKey.of("-_v7-_v7");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    // printf '{}' | openssl dgst -sha256 -hmac '-_v7-_v7' -binary | base64
    assertThat(WebhookSignature.sign(key, body))
        .isEqualTo("sha256=ONBNLlBNi/eGCt3JxeU/g1+VM7Ur/jp/2CTmllwzYrI=");
  }

  @Test
  void aReSerializedBodyDoesNotVerify() {
    byte[] raw = "{\"message\": {\"eventId\": 1}}".getBytes(StandardCharsets.UTF_8);
    byte[] reSerialized = "{\"message\":{\"eventId\":1}}".getBytes(StandardCharsets.UTF_8);
    String header = WebhookSignature.sign(JEFE, raw);

    assertThat(WebhookSignature.verify(JEFE, raw, header)).isTrue();
    assertThat(WebhookSignature.verify(JEFE, reSerialized, header)).isFalse();
  }

  @Test
  void rejectsMissingPrefixMissingHeaderAndGarbage() {
    String bare = RFC_4231_SIGNATURE.substring("sha256=".length());

    assertThat(WebhookSignature.verify(JEFE, RFC_4231_DATA, bare)).isFalse();
    assertThat(WebhookSignature.verify(JEFE, RFC_4231_DATA, null)).isFalse();
    assertThat(WebhookSignature.verify(JEFE, RFC_4231_DATA, "sha256=not base64!")).isFalse();
    assertThat(WebhookSignature.verify(JEFE, RFC_4231_DATA, "sha256=")).isFalse();
  }
}
