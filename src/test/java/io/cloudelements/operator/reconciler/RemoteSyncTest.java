package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.cloudelements.FakeCloudElementsClient;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient.Call;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RemoteSync alone: one GET, then only what changed. */
class RemoteSyncTest {

  private final FakeCloudElementsClient cloud = new FakeCloudElementsClient();
  private final RecordedEvents events = new RecordedEvents();
  private final RemoteSync sync =
      new RemoteSync(
          cloud,
          events,
          new Reauthorizer(cloud, events),
          ReconcilerDriver.consentStep(cloud, events));
  private final FakeSecrets secrets =
      new FakeSecrets()
          .put("ce-credentials", "userSecret", "u", "organizationSecret", "o")
          .put("cm-app", "consumerKey", "ck", "consumerSecret", "cs")
          .put("cm-code", "code", "code-1");
  private final Observation seen =
      Observation.of(ReconcilerDriver.oauthResource(), secrets, new ResourceMemory());

  private ResolvedInputs inputs() throws InputResolver.MissingSecretException {
    return InputResolver.resolve(seen.cr(), secrets, false);
  }

  @Test
  void aRecordedInstanceThatVanishedAsksForARecreation() throws Exception {
    seen.status().setInstanceId(99L);
    seen.status().setAppliedFingerprints(java.util.Map.of("name", "x"));

    Optional<Decision> decision = sync.sync(seen, 99L, inputs());

    assertThat(decision).isEmpty();
    assertThat(seen.status().getInstanceId()).isNull();
    assertThat(seen.status().getAppliedFingerprints()).isNull();
  }

  @Test
  void anAdoptionTakesTheCurrentCodeAsUsedAndWritesTheSecret() throws Exception {
    RemoteInstance existing = cloud.seed("story", List.of());
    seen.cr().getSpec().setInstanceId(existing.id());

    Decision decision = sync.sync(seen, existing.id(), inputs()).orElseThrow();

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(seen.status().getConsumedCodeFingerprint())
        .isEqualTo(inputs().authorizationCodeFingerprint());
    assertThat(secrets.writes()).containsExactly("create story-instance");
    assertThat(events.reasons()).containsExactly("Normal Adopted");
  }

  @Test
  void aRateLimitRetriesAfterTheApisDelay() throws Exception {
    seen.status().setInstanceId(5L);
    cloud.failNext(Call.GET, 429);

    Decision decision = sync.sync(seen, 5L, inputs()).orElseThrow();

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.RATE_LIMITED);
    assertThat(decision.next()).isInstanceOf(Next.RetryAfter.class);
    assertThat(decision.stalledInputs()).isNull();
  }
}
