package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.consent.ConsentStarter;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator-served OAuth consent over real HTTP: the operator (with its callback endpoint on a
 * loopback port), the embedded Kubernetes API and the simulator's consent page, which approves or
 * denies and redirects to the callback, as a browser would follow it.
 */
class ConsentIT {

  private static OperatorStack stack;
  private static final HttpClient BROWSER =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() {
    stack = OperatorStack.builder().start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aResourceWithoutCodeIsCreatedThroughTheConsentAndReauthorizedAfterValidFalse()
      throws Exception {
    String consumerSecret = secrets("news");
    stack.apply(InstanceYaml.consent("news", "news", stack.callbackUrl(), ""));

    CampaignMonitorInstance waiting = stack.awaitReason("news", "AwaitingConsent");
    AuthorizationStatus authorization = waiting.getStatus().getAuthorization();
    assertThat(authorization.getUrl())
        .startsWith(stack.simulator().baseUrl() + "/simulator/consent?")
        .doesNotContain(consumerSecret);
    assertThat(waiting.getStatus().condition("Reconciling").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(waiting.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("status.authorization.url")
        .contains("CONSENT-URL");
    assertThat(stack.remoteOf(waiting)).isEmpty();

    HttpResponse<String> page = approve(authorization.getUrl());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.uri().toString()).startsWith(stack.callbackUrl());
    assertThat(page.body())
        .contains("Campaign Monitor access approved for team-a/news. You can close this window.");

    CampaignMonitorInstance ready = stack.awaitReason("news", "Available");
    assertThat(ready.getStatus().getAuthorization()).as("the used consent is cleared").isNull();
    assertThat(stack.secret("news-instance")).isPresent();
    Secret code = stack.secret("news-oauth-code").orElseThrow();
    assertThat(code.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
    assertThat(stack.remoteOf(ready)).hasSize(1);
    assertThat(normalEvents("news", "AwaitingConsent"))
        .as("one Normal Event per consent")
        .hasSize(1);

    SimulatedInstance instance = stack.remoteOf(ready).get(0);
    stack.simulator().markInvalid(instance.id());
    CampaignMonitorInstance again = stack.awaitReason("news", "AwaitingConsent");
    assertThat(again.getStatus().getAuthorization().getAttempt())
        .isNotEqualTo(authorization.getAttempt());
    assertThat(again.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("not valid");
    assertThat(approve(again.getStatus().getAuthorization().getUrl()).statusCode()).isEqualTo(200);

    stack.awaitReason("news", "Available");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(stack.eventReasons("news")).contains("Reauthorized");
              assertThat(stack.simulator().instance(instance.id()).orElseThrow().valid()).isTrue();
            });
    assertThat(stack.remoteOf(stack.get("news"))).as("re-authorized, not re-created").hasSize(1);
    assertThat(normalEvents("news", "AwaitingConsent")).hasSize(2);
    assertThat(stack.everythingVisible()).doesNotContain(consumerSecret);
  }

  @Test
  void aPendingConsentKeepsItsUrlAcrossReconcilesAndAnOldStateIsRejectedOnceANewOneStarted()
      throws Exception {
    secrets("keep");
    stack.apply(InstanceYaml.consent("keep", "keep", stack.callbackUrl(), ""));
    String url =
        stack.awaitReason("keep", "AwaitingConsent").getStatus().getAuthorization().getUrl();

    annotate("keep", "example.com/touched", "1");
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(stack.get("keep").getStatus().getAuthorization().getUrl())
                    .isEqualTo(url));

    annotate("keep", ConsentStarter.RESTART_ANNOTATION, "1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !url.equals(stack.get("keep").getStatus().getAuthorization().getUrl()));
    HttpResponse<String> stale = approve(url);
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("superseded_state");
    assertThat(stack.secret("keep-oauth-code")).isEmpty();
  }

  @Test
  void aDeniedConsentStallsUntilTheRestartAnnotationGetsANewValue() throws Exception {
    secrets("deny");
    stack.apply(InstanceYaml.consent("deny", "deny", stack.callbackUrl(), ""));
    String url =
        stack.awaitReason("deny", "AwaitingConsent").getStatus().getAuthorization().getUrl();

    HttpResponse<String> denied =
        BROWSER.send(
            HttpRequest.newBuilder(URI.create(url + "&decision=deny")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(denied.statusCode()).isEqualTo(200);
    assertThat(denied.body()).contains("access was denied for team-a/deny");

    CampaignMonitorInstance stalled = stack.awaitReason("deny", "ConsentDenied");
    assertThat(stalled.getStatus().condition("Stalled").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(stalled.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains(ConsentStarter.RESTART_ANNOTATION);

    annotate("deny", ConsentStarter.RESTART_ANNOTATION, "again");
    CampaignMonitorInstance restarted = stack.awaitReason("deny", "AwaitingConsent");
    assertThat(restarted.getStatus().getRestartConsentHandled()).isEqualTo("again");
    assertThat(approve(restarted.getStatus().getAuthorization().getUrl()).statusCode())
        .isEqualTo(200);
    stack.awaitReason("deny", "Available");
  }

  @Test
  void aResourceNamingItsOwnCodeStartsNoConsent() {
    stack.oauthSecrets("own", stack.canary("code"));
    stack.apply(InstanceYaml.oauth("own", "own", ""));

    CampaignMonitorInstance ready = stack.awaitReason("own", "Available");
    assertThat(ready.getStatus().getAuthorization()).isNull();
    assertThat(stack.eventReasons("own")).doesNotContain("AwaitingConsent");
    assertThat(stack.secret("own-oauth-code")).isEmpty();
  }

  private static void annotate(String name, String key, String value) {
    stack.edit(
        name,
        cr -> {
          Map<String, String> annotations = new java.util.HashMap<>();
          if (cr.getMetadata().getAnnotations() != null) {
            annotations.putAll(cr.getMetadata().getAnnotations());
          }
          annotations.put(key, value);
          cr.getMetadata().setAnnotations(annotations);
          return cr;
        });
  }

  /** The account and OAuth app Secrets of {@code prefix}; returns the consumer secret. */
  private static String secrets(String prefix) {
    stack.credentials(prefix + "-account");
    String consumerSecret = stack.canary("consumer-secret");
    stack.createSecret(
        prefix + "-app",
        Map.of("consumerKey", stack.canary("consumer-key"), "consumerSecret", consumerSecret));
    return consumerSecret;
  }

  /** Opens the consent URL with the approve decision and follows the redirect to the callback. */
  private static HttpResponse<String> approve(String consentUrl) throws Exception {
    return BROWSER.send(
        HttpRequest.newBuilder(URI.create(consentUrl + "&decision=approve")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<Event> normalEvents(String name, String reason) {
    return stack.events().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()) && "Normal".equals(e.getType()))
        .toList();
  }
}
