package io.cloudelements.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.EventsSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.api.WebhookSigning;
import io.cloudelements.operator.webhook.WebhookKeyPlanner.Facts;
import io.cloudelements.operator.webhook.WebhookKeyPlanner.Plan;
import io.cloudelements.operator.webhook.WebhookKeyPlanner.Rotated;
import io.cloudelements.operator.webhook.WebhookKeyPlanner.RotationIgnored;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookKeyPlannerTest {

  private static final WebhookSignatureKey STORED = WebhookSignatureKey.of("stored-key-canary");
  private static final WebhookSignatureKey USERS = WebhookSignatureKey.of("users-key-canary");
  private static final String SOURCE = "Secret newsletter-instance";

  private final WebhookKeyPlanner planner = new WebhookKeyPlanner(new SecureRandom());

  private static Facts generated(
      Optional<WebhookSignatureKey> stored,
      boolean exists,
      String current,
      String annotation,
      String handled) {
    return new Facts(
        WebhookSigningMode.GENERATED,
        Optional.empty(),
        stored,
        exists,
        current,
        annotation,
        handled,
        SOURCE);
  }

  @Test
  void theModeFollowsTheEventsSpec() {
    EventsSpec events = new EventsSpec();
    assertThat(WebhookSigningMode.of(null)).isEqualTo(WebhookSigningMode.UNSIGNED);
    assertThat(WebhookSigningMode.of(events))
        .as("events off")
        .isEqualTo(WebhookSigningMode.UNSIGNED);
    events.setEnabled(true);
    assertThat(WebhookSigningMode.of(events)).isEqualTo(WebhookSigningMode.GENERATED);
    events.setSignatureKeyRef(new SecretKeyReference("hooks", "key"));
    assertThat(WebhookSigningMode.of(events)).isEqualTo(WebhookSigningMode.USER_KEY);
    events.setSignatureKeyRef(null);
    events.setSigning(WebhookSigning.Disabled);
    assertThat(WebhookSigningMode.of(events)).isEqualTo(WebhookSigningMode.UNSIGNED);
  }

  @Test
  void aNewInstanceGetsANewKeyWithoutAnEvent() {
    Plan plan = planner.plan(generated(Optional.empty(), false, null, null, null));

    assertThat(plan.key()).isPresent();
    assertThat(plan.newlyGenerated()).isTrue();
    assertThat(plan.keyValue()).hasSize(43);
    assertThat(plan.fingerprint()).isEqualTo(plan.key().get().fingerprint()).startsWith("sha256:");
    assertThat(plan.notice()).isEmpty();
  }

  @Test
  void theStoredKeyIsKept() {
    Plan plan =
        planner.plan(generated(Optional.of(STORED), true, STORED.fingerprint(), null, null));

    assertThat(plan.key()).contains(STORED);
    assertThat(plan.newlyGenerated()).isFalse();
    assertThat(plan.notice()).isEmpty();
  }

  @Test
  void aLostStoredKeyIsReplacedAndAnnounced() {
    Plan plan = planner.plan(generated(Optional.empty(), true, STORED.fingerprint(), null, null));

    assertThat(plan.key()).isPresent().isNotEqualTo(Optional.of(STORED));
    assertThat(plan.newlyGenerated()).isTrue();
    assertThat(plan.notice()).containsInstanceOf(Rotated.class);
    assertThat(plan.notice().get().message()).contains(SOURCE, plan.fingerprint());
  }

  @Test
  void aNewAnnotationValueRotatesOnceAndIsRecorded() {
    Plan first =
        planner.plan(
            generated(Optional.of(STORED), true, STORED.fingerprint(), "2024-06-01", "before"));

    assertThat(first.key()).isPresent().isNotEqualTo(Optional.of(STORED));
    assertThat(first.newlyGenerated()).isTrue();
    assertThat(first.handledRotation()).isEqualTo("2024-06-01");
    assertThat(first.notice()).containsInstanceOf(Rotated.class);
    assertThat(first.notice().get().message())
        .contains("2024-06-01")
        .doesNotContain(first.keyValue());

    WebhookSignatureKey rotated = first.key().get();
    Plan again =
        planner.plan(
            generated(
                Optional.of(rotated),
                true,
                rotated.fingerprint(),
                "2024-06-01",
                first.handledRotation()));

    assertThat(again.key()).contains(rotated);
    assertThat(again.newlyGenerated()).isFalse();
    assertThat(again.notice()).isEmpty();
  }

  @Test
  void anAnnotationPresentAtCreationIsOnlyRecorded() {
    Plan plan = planner.plan(generated(Optional.empty(), false, null, " first ", null));

    assertThat(plan.handledRotation()).isEqualTo("first");
    assertThat(plan.newlyGenerated()).isTrue();
    assertThat(plan.notice()).isEmpty();
  }

  @Test
  void theUsersKeyWinsAndTheAnnotationIsIgnoredWithAWarning() {
    Plan plan =
        planner.plan(
            new Facts(
                WebhookSigningMode.USER_KEY,
                Optional.of(USERS),
                Optional.of(STORED),
                true,
                USERS.fingerprint(),
                "rotate-now",
                null,
                "Secret hooks key signatureKey"));

    assertThat(plan.key()).contains(USERS);
    assertThat(plan.newlyGenerated()).isFalse();
    assertThat(plan.handledRotation()).isEqualTo("rotate-now");
    assertThat(plan.notice()).containsInstanceOf(RotationIgnored.class);
    assertThat(plan.notice().get().message())
        .contains("rotate-now", "Secret hooks key signatureKey")
        .doesNotContain(USERS.value());
  }

  @Test
  void aChangedUserKeyIsAnnounced() {
    Plan plan =
        planner.plan(
            new Facts(
                WebhookSigningMode.USER_KEY,
                Optional.of(USERS),
                Optional.empty(),
                true,
                STORED.fingerprint(),
                null,
                null,
                "Secret hooks key signatureKey"));

    assertThat(plan.key()).contains(USERS);
    assertThat(plan.notice()).containsInstanceOf(Rotated.class);
    assertThat(plan.notice().get().message())
        .contains(USERS.fingerprint())
        .doesNotContain(USERS.value());
  }

  @Test
  void unsignedMeansNoKeyAndARequestIsStillRecorded() {
    Plan plan =
        planner.plan(
            new Facts(
                WebhookSigningMode.UNSIGNED,
                Optional.empty(),
                Optional.of(STORED),
                true,
                STORED.fingerprint(),
                "r1",
                null,
                SOURCE));

    assertThat(plan.key()).isEmpty();
    assertThat(plan.keyValue()).isNull();
    assertThat(plan.fingerprint()).isNull();
    assertThat(plan.handledRotation()).isEqualTo("r1");
    assertThat(plan.notice()).isEmpty();
  }
}
