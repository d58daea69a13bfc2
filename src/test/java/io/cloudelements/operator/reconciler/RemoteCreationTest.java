package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.cloudelements.FakeCloudElementsClient;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient.Call;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RemoteCreation alone: the decisions it returns and what it leaves in status and memory. */
class RemoteCreationTest {

  private final FakeCloudElementsClient cloud = new FakeCloudElementsClient();
  private final RecordedEvents events = new RecordedEvents();
  private final RemoteCreation creation = new RemoteCreation(cloud, events, new Reauthorizer(cloud, events),
      Clock.systemUTC(), Duration.ofMinutes(1));
  private final FakeSecrets secrets = new FakeSecrets()
      .put("ce-credentials", "userSecret", "u", "organizationSecret", "o")
      .put("cm-app", "consumerKey", "ck", "consumerSecret", "cs")
      .put("cm-code", "code", "code-1");
  private final ResourceMemory memory = new ResourceMemory();
  private final Observation seen = Observation.of(ReconcilerDriver.oauthResource(), secrets, memory);

  private ResolvedInputs inputs() throws InputResolver.MissingSecretException {
    return InputResolver.resolve(seen.cr(), secrets, false);
  }

  @Test
  void aCreatedInstanceResyncsAndRecordsItsCodeAsUsed() throws Exception {
    Decision decision = creation.create(seen, inputs(), false);

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(decision.next()).isInstanceOf(Next.Resync.class);
    assertThat(seen.status().getConsumedCodeFingerprint()).isEqualTo(inputs().authorizationCodeFingerprint());
    assertThat(memory.postedCode()).isEqualTo(inputs().authorizationCodeFingerprint());
    assertThat(seen.status().getAppliedFingerprints()).isNotEmpty();
  }

  @Test
  void twoOwnedInstancesStallOnTheInputs() throws Exception {
    String tag = OwnershipTag.of(seen.cr());
    cloud.seed("a", List.of(tag));
    cloud.seed("b", List.of(tag));

    Decision decision = creation.create(seen, inputs(), false);

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.DUPLICATE_INSTANCES);
    assertThat(decision.stalledInputs()).isEqualTo(inputs().fingerprint());
    assertThat(cloud.calls()).doesNotContain("POST /instances");
  }

  @Test
  void aRejectedPostUsesUpTheCodeAndATimedOutOneIsRemembered() throws Exception {
    cloud.failNext(Call.CREATE, 400);
    Decision rejected = creation.create(seen, inputs(), false);
    assertThat(rejected.outcome().reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);
    assertThat(seen.status().getConsumedCodeFingerprint()).isNotNull();

    seen.status().setConsumedCodeFingerprint(null);
    cloud.failNext(Call.CREATE, 0);
    Decision unanswered = creation.create(seen, inputs(), false);
    assertThat(unanswered.next()).isInstanceOf(Next.RetryAfter.class);
    assertThat(seen.status().getConsumedCodeFingerprint()).isNull();
    assertThat(memory.unansweredPostAt()).isNotNull();
  }
}
