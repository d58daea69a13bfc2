package io.cloudelements.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSignatureKeyTest {

  @Test
  void aGeneratedKeyIs32RandomBytesAsBase64UrlWithoutPadding() {
    WebhookSignatureKey key = WebhookSignatureKey.generate(new SecureRandom());

    assertThat(key.value()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(key.value())).hasSize(32);
  }

  @Test
  void theBytesComeFromTheGivenSourceAndUseTheUrlAlphabet() {
    SecureRandom constant =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0xfb);
          }
        };

    // 0xfbfbfb is the 6-bit groups 62 63 47 59: "-_v7" in base64url; the last two bytes give "-_s".
    assertThat(WebhookSignatureKey.generate(constant).value()).isEqualTo("-_v7".repeat(10) + "-_s");
  }

  @Test
  void generatedKeysDiffer() {
    SecureRandom random = new SecureRandom();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      keys.add(WebhookSignatureKey.generate(random).value());
    }

    assertThat(keys).hasSize(100);
  }

  @Test
  void theFingerprintIsTheFirst12HexDigitsOfSha256OverTheKeysUtf8Bytes() {
    // printf 'Jefe' | sha256sum -> 005725b48609c45e6b92...
    assertThat(WebhookSignatureKey.of("Jefe").fingerprint()).isEqualTo("sha256:005725b48609");
  }

  @Test
  void toStringShowsTheFingerprintNeverTheKey() {
    WebhookSignatureKey key = WebhookSignatureKey.of("canary-webhook-key-1");

    assertThat(key.toString()).doesNotContain("canary-webhook-key-1").contains(key.fingerprint());
  }

  @Test
  void blankKeysAreRefused() {
    assertThatThrownBy(() -> WebhookSignatureKey.of(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
