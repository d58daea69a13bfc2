package io.cloudelements.operator.cloudelements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link HttpCloudElementsClient#consentUrl} against the simulator. */
class ConsentUrlTest {

  private static CloudElementsSimulator simulator;
  private static HttpCloudElementsClient client;
  private static final AccountCredentials ACCOUNT =
      new AccountCredentials("user-secret", "org-secret");

  @BeforeAll
  static void start() {
    simulator = CloudElementsSimulator.start(SimulatorOptions.defaults());
    client = new HttpCloudElementsClient(URI.create(simulator.baseUrl()), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void answersTheProviderPageCarryingTheCallbackAndTheState() {
    String url =
        client.consentUrl(
            ACCOUNT,
            new ConsentRequest(
                "canary-ck", "canary-cs", "http://127.0.0.1:8081/oauth/callback", "st.ate-1"));

    assertThat(url)
        .startsWith(simulator.baseUrl() + "/simulator/consent?")
        .contains("state=st.ate-1")
        .doesNotContain("canary-cs");
  }

  @Test
  void aRefusedCallDoesNotShowTheSecretsInItsMessage() {
    AccountCredentials wrong = new AccountCredentials("canary-user", "canary-org");

    assertThatThrownBy(
            () ->
                client.consentUrl(
                    wrong,
                    new ConsentRequest(
                        "canary-ck",
                        "canary-cs",
                        "http://127.0.0.1:8081/oauth/callback",
                        "canary-state")))
        .isInstanceOf(CloudElementsException.class)
        .hasMessageContaining("401")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(
                        "canary-user", "canary-org", "canary-ck", "canary-cs", "canary-state"));
  }

  @Test
  void theRequestMasksEveryValueButTheCallback() {
    assertThat(
            new ConsentRequest("canary-ck", "canary-cs", "https://cb", "canary-state").toString())
        .doesNotContain("canary-ck", "canary-cs", "canary-state")
        .contains("https://cb");
  }
}
