package io.cloudelements.operator.cloudelements;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every type that holds a secret masks it in toString(). */
class MaskingTest {

  @Test
  void accountCredentialsMaskBothSecrets() {
    String text = new AccountCredentials("canary-user-1", "canary-org-1").toString();

    assertThat(text).doesNotContain("canary-user-1", "canary-org-1").contains("****");
  }

  @Test
  void desiredInstanceMasksEveryAuthorizationValue() {
    String oauth =
        new DesiredInstance(
                "n",
                List.of(),
                "t",
                new DesiredInstance.OAuth("https://cb", "canary-ck", "canary-cs", "canary-code"),
                null)
            .toString();
    String basic =
        new DesiredInstance("n", List.of(), "t", new DesiredInstance.Basic("canary-key"), null)
            .toString();

    assertThat(oauth)
        .doesNotContain("canary-ck", "canary-cs", "canary-code")
        .contains("https://cb");
    assertThat(basic).doesNotContain("canary-key");
  }

  @Test
  void desiredEventsMaskTheSignatureKey() {
    DesiredInstance.Events events =
        new DesiredInstance.Events(true, "https://hooks", List.of("l1"), "canary-signature-key");
    String text =
        new DesiredInstance("n", List.of(), "t", new DesiredInstance.Basic("k"), events).toString();

    assertThat(text)
        .doesNotContain("canary-signature-key")
        .contains("https://hooks", "l1", "signatureKey=****");
  }

  @Test
  void remoteInstanceMasksTheToken() {
    String text = new RemoteInstance(7, "n", "canary-token", List.of("x"), true, false).toString();

    assertThat(text).doesNotContain("canary-token").contains("id=7");
  }

  @Test
  void errorMessagesEchoingASecretAreScrubbed() {
    String scrubbed =
        HttpCloudElementsClient.scrub("code canary-code-9 was rejected", List.of("canary-code-9"));

    assertThat(scrubbed).isEqualTo("code **** was rejected");
  }
}
