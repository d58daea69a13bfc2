package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient.Call;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RemoteCreation alone: the decisions it returns and what it leaves in status and memory. */
class RemoteCreationTest {

  private final FakeCloudElementsClient cloud = new FakeCloudElementsClient();
  private final RecordedEvents events = new RecordedEvents();
  private final RemoteCreation creation =
      new RemoteCreation(
          cloud,
          events,
          new Reauthorizer(cloud, events),
          ReconcilerDriver.consentStep(cloud, events),
          Clock.systemUTC(),
          Duration.ofMinutes(1));
  private final FakeSecrets secrets =
      new FakeSecrets()
          .put("ce-credentials", "userSecret", "u", "organizationSecret", "o")
          .put("cm-app", "consumerKey", "ck", "consumerSecret", "cs")
          .put("cm-code", "code", "code-1");
  private final ResourceMemory memory = new ResourceMemory();
  private static final String EARLIER = "2026-01-05T08:59:00Z";
  private final Observation seen =
      Observation.of(ReconcilerDriver.oauthResource(), secrets, memory);

  /** The intents stored through metadata patches, in order, as the API server stored them. */
  private final List<String> intentWrites = new ArrayList<>();

  private final CreateIntent intent =
      new CreateIntent(
          (cr, change) -> {
            CampaignMonitorInstance stored = change.apply(cr);
            intentWrites.add(stored.getMetadata().getAnnotations().get(CreateIntent.ANNOTATION));
            return stored;
          },
          Clock.systemUTC());

  private void markIntent() {
    seen.cr().getMetadata().getAnnotations().put(CreateIntent.ANNOTATION, EARLIER);
  }

  private String intentOnResource() {
    return seen.cr().getMetadata().getAnnotations().get(CreateIntent.ANNOTATION);
  }

  private ResolvedInputs inputs() throws InputResolver.MissingSecretException {
    return InputResolver.resolve(seen.cr(), secrets, false);
  }

  @Test
  void aCreatedInstanceResyncsAndRecordsItsCodeAsUsed() throws Exception {
    Decision decision = creation.create(seen, inputs(), false, intent);

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(decision.next()).isInstanceOf(Next.Resync.class);
    assertThat(seen.status().getConsumedCodeFingerprint())
        .isEqualTo(inputs().authorizationCodeFingerprint());
    assertThat(memory.postedCode()).isEqualTo(inputs().authorizationCodeFingerprint());
    assertThat(seen.status().getAppliedFingerprints()).isNotEmpty();
  }

  @Test
  void aFreshResourceRecordsItsIntentWithTheFinalizerThenPostsWithoutLookingUp() throws Exception {
    List<Integer> storedBeforePost = new ArrayList<>();
    cloud.onCreate(() -> storedBeforePost.add(intentWrites.size()));

    creation.create(seen, inputs(), false, intent);

    assertThat(storedBeforePost)
        .as("intent writes stored when the POST arrived")
        .containsExactly(1);
    assertThat(cloud.calls()).containsExactly("POST /instances");
    assertThat(intentWrites).singleElement().isNotNull();
    assertThat(seen.cr().hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER)).isTrue();
    assertThat(intent.written()).isTrue();
    assertThat(seen.status().getInstanceId()).isNotNull();
    assertThat(intentOnResource()).as("kept: it only counts without an id").isNotNull();
  }

  @Test
  void aFreshIntentWrittenWithTheFinalizerIsNotWrittenAgainNorLookedUp() throws Exception {
    intent.secure(seen, RemoteCreation.postsAtOnce(seen, inputs()));

    creation.create(seen, inputs(), false, intent);

    assertThat(cloud.calls()).containsExactly("POST /instances");
    assertThat(intentWrites).hasSize(1);
  }

  @Test
  void aReCreateLooksUpThenWritesAFreshIntentBeforeItsPost() throws Exception {
    markIntent();
    List<String> storedBeforePost = new ArrayList<>();
    cloud.onCreate(() -> storedBeforePost.add(intentOnResource()));

    Decision decision = creation.create(seen, inputs(), true, intent);

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(cloud.calls()).containsExactly("GET /instances?tags[]", "POST /instances");
    assertThat(intentWrites).singleElement().isNotEqualTo(EARLIER);
    assertThat(storedBeforePost).containsExactly(intentWrites.get(0));
    assertThat(events.reasons()).containsExactly("Normal Recreated");
  }

  @Test
  void anIntentFromAnEarlierAttemptLooksUpFirstAndAdoptsWithoutWritingItAgain() throws Exception {
    markIntent();
    cloud.seed("posted before a crash", List.of(OwnershipTag.of(seen.cr())));

    Decision decision = creation.create(seen, inputs(), false, intent);

    assertThat(cloud.calls()).containsExactly("GET /instances?tags[]");
    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(intentWrites).isEmpty();
    assertThat(events.reasons()).containsExactly("Normal Adopted");
  }

  @Test
  void anIntentWithNothingFoundPostsOnceAfterTheLookup() throws Exception {
    markIntent();

    creation.create(seen, inputs(), false, intent);

    assertThat(cloud.calls()).containsExactly("GET /instances?tags[]", "POST /instances");
    assertThat(intentWrites).isEmpty();
    assertThat(cloud.instances()).hasSize(1);
  }

  @Test
  void anUnansweredPostInMemoryLooksUpFirst() throws Exception {
    memory.unansweredPost(Instant.now().minus(Duration.ofMinutes(5)));
    cloud.seed("posted", List.of(OwnershipTag.of(seen.cr())));

    creation.create(seen, inputs(), false, intent);

    assertThat(cloud.calls()).containsExactly("GET /instances?tags[]");
    assertThat(cloud.instances()).hasSize(1);
  }

  @Test
  void aPostRefusedWithAnAnswerWithdrawsTheIntentSoTheNextTryDoesNotLookUp() throws Exception {
    markIntent();
    seen.status().setCreateIntent(EARLIER);
    cloud.failNext(Call.CREATE, 400);

    Decision refused = creation.create(seen, inputs(), false, intent);

    assertThat(refused.outcome().reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);
    assertThat(intentOnResource()).isNull();
    assertThat(seen.status().getCreateIntent()).as("the earlier version's intent too").isNull();
    assertThat(CreateIntent.postMayHaveHappened(seen)).isFalse();
  }

  /**
   * A young intent from an earlier process may stand for a POST that got no answer before a crash
   * and can still take effect: a refused POST now does not withdraw it, so the next create looks up
   * first instead of risking a second instance.
   */
  @Test
  void aPostRefusedUnderAYoungIntentOfAnEarlierProcessKeepsIt() throws Exception {
    String young = Instant.now().minusSeconds(5).toString();
    seen.cr().getMetadata().getAnnotations().put(CreateIntent.ANNOTATION, young);
    cloud.failNext(Call.CREATE, 400);

    creation.create(seen, inputs(), false, intent);

    assertThat(intentOnResource()).isEqualTo(young);
    assertThat(CreateIntent.postMayHaveHappened(seen)).isTrue();
  }

  /**
   * A retried answer keeps the intent, so each retry does not write it and announce Creating again.
   */
  @Test
  void aPostAnsweredWithRateLimitedKeepsTheIntent() throws Exception {
    markIntent();
    cloud.failNext(Call.CREATE, 429);

    Decision limited = creation.create(seen, inputs(), false, intent);

    assertThat(limited.outcome().reason()).isEqualTo(ReadyReason.RATE_LIMITED);
    assertThat(intentOnResource()).isEqualTo(EARLIER);
    assertThat(intentWrites).isEmpty();
  }

  @Test
  void aPostFailingWithoutADefiniteAnswerKeepsTheIntent() throws Exception {
    cloud.failNext(Call.CREATE, 0);
    creation.create(seen, inputs(), false, intent);
    assertThat(intentOnResource()).isNotNull();

    cloud.failNext(Call.CREATE, 500);
    memory.unansweredPost(null);
    creation.create(seen, inputs(), false, intent);
    assertThat(intentOnResource())
        .as("a 500 may have come after the instance was made")
        .isNotNull();
  }

  @Test
  void twoOwnedInstancesStallOnTheInputs() throws Exception {
    markIntent();
    String tag = OwnershipTag.of(seen.cr());
    cloud.seed("a", List.of(tag));
    cloud.seed("b", List.of(tag));

    Decision decision = creation.create(seen, inputs(), false, intent);

    assertThat(decision.outcome().reason()).isEqualTo(ReadyReason.DUPLICATE_INSTANCES);
    assertThat(decision.stalledInputs()).isEqualTo(inputs().fingerprint());
    assertThat(cloud.calls()).doesNotContain("POST /instances");
  }

  @Test
  void aRejectedPostUsesUpTheCodeAndATimedOutOneIsRemembered() throws Exception {
    cloud.failNext(Call.CREATE, 400);
    Decision rejected = creation.create(seen, inputs(), false, intent);
    assertThat(rejected.outcome().reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);
    assertThat(seen.status().getConsumedCodeFingerprint()).isNotNull();

    seen.status().setConsumedCodeFingerprint(null);
    cloud.failNext(Call.CREATE, 0);
    Decision unanswered = creation.create(seen, inputs(), false, intent);
    assertThat(unanswered.next()).isInstanceOf(Next.RetryAfter.class);
    assertThat(seen.status().getConsumedCodeFingerprint()).isNull();
    assertThat(memory.unansweredPostAt()).isNotNull();
  }

  /**
   * A POST whose answer was lost may still have created the instance with the code it sent: when
   * the lookup adopts it, that code counts as used, not the code of an earlier POST.
   */
  @Test
  void anInstanceAdoptedAfterAnUnansweredPostIsNotReauthorizedWithTheCodeThatPostSent()
      throws Exception {
    memory.posted("the fingerprint of a code an earlier POST of this process sent");
    cloud.loseNextAnswer(Call.CREATE);
    creation.create(seen, inputs(), false, intent);
    assertThat(memory.unansweredPostAt()).isNotNull();
    memory.unansweredPost(Instant.now().minus(Duration.ofMinutes(5)));

    Decision adopted = creation.create(seen, inputs(), false, intent);

    assertThat(adopted.outcome().reason()).isEqualTo(ReadyReason.AVAILABLE);
    assertThat(cloud.calls()).filteredOn(call -> call.startsWith("PUT ")).isEmpty();
    assertThat(seen.status().getConsumedCodeFingerprint())
        .isEqualTo(inputs().authorizationCodeFingerprint());
  }
}
