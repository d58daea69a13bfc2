package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the newcomer's command, {@code java -jar target/campaign-monitor-operator.jar demo}, as a
 * separate process.
 */
class DemoIT {

  /** The secret values in examples/: none may be printed. */
  private static final List<String> EXAMPLE_SECRETS =
      List.of(
          "user-secret",
          "org-secret",
          "example-client-id",
          "example-client-secret",
          "example-authorization-code",
          "example-api-key");

  @Test
  void theDemoDoesEveryStepAndExitsZero() throws Exception {
    Path jar = Path.of("target", "campaign-monitor-operator.jar");
    assertThat(jar).exists();

    Process demo =
        new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "demo")
            .redirectErrorStream(true)
            .start();
    boolean finished = demo.waitFor(120, TimeUnit.SECONDS);
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      demo.destroyForcibly();
    }

    assertThat(finished).as("demo finished within 120 s:\n" + output).isTrue();
    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("[2] Applying examples/oauth.yaml and examples/basic-with-events.yaml")
        .containsPattern("event +newsletter +Normal +Created +Created instance \\d+")
        .containsPattern("event +newsletter-basic +Normal +Created")
        .containsPattern("newsletter +True +Available +\\d+ +newsletter-instance")
        .contains("token: ************ (")
        .containsPattern("Cloud Elements saw: PATCH /instances/\\d+ -> 200")
        .containsPattern("Cloud Elements saw: DELETE /instances/\\d+ -> 200")
        .containsPattern(
            "event +newsletter-consent +Normal +AwaitingConsent +Creating the instance needs an "
                + "authorization code")
        .containsPattern(
            "status.authorization.url: http://127\\.0\\.0\\.1:\\d+/elements/api-v2/simulator/consent\\?")
        .contains(
            "/oauth/callback -> 200: Campaign Monitor access approved for default/newsletter-consent.")
        .containsPattern("newsletter-consent +True +Available +\\d+ +newsletter-consent-instance")
        .containsPattern(
            "webhookSignatureKey: \\*{12} \\(43 characters, (sha256:[0-9a-f]{12}); status shows \\1\\)")
        .contains("receiver: signature valid (answered 204)")
        .contains("same signature): receiver: signature invalid (answered 401)")
        .contains("All 8 steps passed");
    assertThat(EXAMPLE_SECRETS).allSatisfy(secret -> assertThat(output).doesNotContain(secret));
  }

  @Test
  void aWrongOptionIsOneLineAndExitCodeTwo() throws IOException, InterruptedException {
    Process demo =
        new ProcessBuilder(
                javaBinary(), "-jar", "target/campaign-monitor-operator.jar", "demo", "--nope")
            .redirectErrorStream(true)
            .start();
    demo.waitFor(30, TimeUnit.SECONDS);
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(demo.exitValue()).isEqualTo(2);
    assertThat(output.strip().lines())
        .containsExactly(
            "campaign-monitor-operator: demo: unknown option '--nope' (try demo --help)");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
