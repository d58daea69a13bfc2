package io.cloudelements.operator.reconciler;

import static io.cloudelements.operator.reconciler.ReconcilerDriver.RESYNC;
import static io.cloudelements.operator.reconciler.ReconcilerDriver.SETTLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.EventsSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient.Call;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook signature key through the real reconciler, against fakes. */
class WebhookKeyWiringTest {

  private final ReconcilerDriver driver = new ReconcilerDriver();

  @BeforeEach
  void eventsOn() {
    EventsSpec events = new EventsSpec();
    events.setEnabled(true);
    events.setCallbackUrl("https://hooks.example.com/cm");
    driver.cr.getSpec().setEvents(events);
  }

  @Test
  void theGeneratedKeyGoesIntoTheOutputSecretAndStaysAcrossResyncs() {
    driver.reconcile();

    String key = driver.outputValue(InstanceSecret.WEBHOOK_SIGNATURE_KEY).orElseThrow();
    assertThat(key).hasSize(43);
    assertThat(driver.cr.getStatus().getWebhookSignatureKeyFingerprint())
        .isEqualTo(Fingerprints.of(key));
    assertThat(driver.cr.getStatus().getAppliedFingerprints())
        .containsKey("configuration.event.notification.signature.key");

    driver.cloud.clearCalls();
    driver.advance(RESYNC.plusSeconds(1));
    driver.reconcile();

    assertThat(driver.cloud.calls())
        .as("one read-back, no PATCH")
        .containsExactly("GET /instances/1001");
    assertThat(driver.outputValue(InstanceSecret.WEBHOOK_SIGNATURE_KEY)).contains(key);
  }

  @Test
  void aTerminalFailureIsNotRetriedAlthoughEachAttemptWouldMakeANewKey() {
    driver.cloud.failNext(Call.CREATE, 400);
    driver.reconcile();
    assertThat(driver.reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);

    driver.cloud.clearCalls();
    driver.reconcile();
    driver.reconcile();

    assertThat(driver.cloud.calls()).isEmpty();
  }

  @Test
  void anInstanceFoundByItsTagAfterALostAnswerGetsTheKeyThatIsInTheSecret() {
    driver.cloud.loseNextAnswer(Call.CREATE);
    driver.reconcile();
    driver.advance(SETTLE.plusSeconds(1));
    driver.cloud.clearCalls();

    driver.reconcile();

    assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(driver.cloud.calls())
        .containsExactly("GET /instances?tags[]", "PATCH /instances/1001");
    String key = driver.outputValue(InstanceSecret.WEBHOOK_SIGNATURE_KEY).orElseThrow();
    assertThat(driver.cr.getStatus().getWebhookSignatureKeyFingerprint())
        .isEqualTo(Fingerprints.of(key));
  }

  @Test
  void aRotationRequestWithAUserKeyIsRecordedAndWarnedAboutWithoutACall() {
    driver.secrets.put("hooks", "key", "users-own-key");
    driver.cr.getSpec().getEvents().setSignatureKeyRef(new SecretKeyReference("hooks", "key"));
    driver.reconcile();
    assertThat(driver.outputValue(InstanceSecret.WEBHOOK_SIGNATURE_KEY)).contains("users-own-key");
    driver.cloud.clearCalls();

    driver.annotate(WebhookKeyPlanner.ROTATE_ANNOTATION, "now");
    driver.advance(Duration.ofSeconds(1));
    driver.reconcile();

    assertThat(driver.cr.getStatus().getWebhookKeyRotation()).isEqualTo("now");
    assertThat(driver.outputValue(InstanceSecret.WEBHOOK_SIGNATURE_KEY)).contains("users-own-key");
    assertThat(driver.events.reasons()).last().isEqualTo("Warning WebhookKeyRotationIgnored");
    assertThat(driver.events.all()).noneMatch(e -> e.contains("users-own-key"));
    assertThat(driver.cloud.calls()).doesNotContain("PATCH /instances/1001");
  }
}
