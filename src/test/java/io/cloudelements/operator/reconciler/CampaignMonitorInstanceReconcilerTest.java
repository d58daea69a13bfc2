package io.cloudelements.operator.reconciler;

import static io.cloudelements.operator.reconciler.ReconcilerDriver.OUTPUT;
import static io.cloudelements.operator.reconciler.ReconcilerDriver.RESYNC;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.BasicAuthSpec;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.DeletionPolicy;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient.Call;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each act path of the reconciler, against the in-memory fakes: no HTTP, no API server. */
class CampaignMonitorInstanceReconcilerTest {

  private final ReconcilerDriver driver = new ReconcilerDriver();

  private long createdId() {
    driver.reconcile();
    assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    driver.cloud.clearCalls();
    return driver.cr.getStatus().getInstanceId();
  }

  @Nested
  class Create {

    @Test
    void writesFinalizerAndIntentInOnePatchThenPostsWithoutALookupWritesTheSecretAndResyncs() {
      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("POST /instances");
      assertThat(driver.context.metadataPatches()).as("finalizer and intent together").isOne();
      assertThat(driver.context.statusPatches()).as("the instance").isOne();
      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.intent()).contains("2026-01-05T09:00:00Z");
      RemoteInstance created = driver.cloud.instances().get(0);
      assertThat(created.tags()).contains(OwnershipTag.of(driver.cr));
      assertThat(driver.outputValue("id")).contains(Long.toString(created.id()));
      assertThat(driver.outputValue("token")).contains(created.token());
      assertThat(driver.cr.getStatus().getInstanceId()).isEqualTo(created.id());
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
      assertThat(control.isNoUpdate()).as("written already, after the stored patch").isTrue();
      assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
      assertThat(driver.events.reasons()).containsExactly("Normal Created");
      assertThat(driver.credentialsHeld()).isTrue();
    }

    @Test
    void afterACrashBetweenTheIntentAndThePostTheNextProcessLooksUpThenPostsOnce() {
      driver.annotate(CreateIntent.ANNOTATION, "2026-01-05T08:59:00Z");
      driver.cr.getMetadata().setFinalizers(List.of(CampaignMonitorInstanceReconciler.FINALIZER));

      driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]", "POST /instances");
      assertThat(driver.cloud.instances()).hasSize(1);
      assertThat(driver.context.metadataPatches()).as("no second intent write").isZero();
      assertThat(driver.intent()).contains("2026-01-05T08:59:00Z");
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    }

    @Test
    void theIntentOfTheVersionBeforeInTheStatusStillCountsAndIsClearedWithTheId() {
      CampaignMonitorInstanceStatus stored = new CampaignMonitorInstanceStatus();
      stored.setCreateIntent("2026-01-05T08:59:00Z");
      driver.cr.setStatus(stored);
      driver.cr.getMetadata().setFinalizers(List.of(CampaignMonitorInstanceReconciler.FINALIZER));

      driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]", "POST /instances");
      assertThat(driver.context.metadataPatches()).isZero();
      assertThat(driver.cr.getStatus().getCreateIntent()).isNull();
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    }

    @Test
    void afterACrashBetweenThePostAndItsRecordTheInstanceIsAdoptedNotPostedAgain() {
      driver.annotate(CreateIntent.ANNOTATION, "2026-01-05T08:59:00Z");
      RemoteInstance posted =
          driver.cloud.seed("posted before the crash", List.of(OwnershipTag.of(driver.cr)));

      driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]");
      assertThat(driver.cloud.instances()).containsExactly(posted);
      assertThat(driver.cr.getStatus().getInstanceId()).isEqualTo(posted.id());
      assertThat(driver.finalizerHolds()).as("added, before the lookup").isTrue();
    }

    @Test
    void aLostStatusWithTheIdInTheOutputSecretNeedsNoCreate() {
      driver.reconcile();
      long id = driver.cr.getStatus().getInstanceId();
      driver.cr.setStatus(null);
      driver.cloud.clearCalls();

      driver.reconcile();

      assertThat(driver.cloud.calls())
          .startsWith("GET /instances/" + id)
          .doesNotContain("POST /instances", "GET /instances?tags[]");
      assertThat(driver.cr.getStatus().getInstanceId()).isEqualTo(id);
    }

    @Test
    void aPostRefusedWithA4xxWithdrawsTheIntentSoTheNextAttemptPostsWithoutALookup() {
      driver.cloud.failNext(Call.CREATE, 400);
      driver.reconcile();
      assertThat(driver.reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);
      assertThat(driver.intent()).isEmpty();
      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.context.metadataPatches()).as("intent, then its withdrawal").isEqualTo(2);

      driver.secrets.put("cm-code", "code", "code-2");
      driver.cloud.clearCalls();
      driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("POST /instances");
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    }

    @Test
    void aStatusWrittenWhileWaitingKeepsTheIntent() {
      driver.cloud.failNext(Call.CREATE, 0);
      driver.reconcile();
      assertThat(driver.intent()).isPresent();

      driver.secrets.remove("cm-app");
      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.WAITING_FOR_SECRET);
      assertThat(driver.intent()).isPresent();
    }

    @Test
    void anOldResourceWithAnIdButNoFinalizerGetsItWithoutAnIntent() {
      driver.reconcile();
      driver.cr.getMetadata().setFinalizers(null);
      driver.cr.getMetadata().getAnnotations().remove(CreateIntent.ANNOTATION);
      driver.advance(RESYNC);

      driver.reconcile();

      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.intent()).isEmpty();
      assertThat(driver.context.metadataPatches()).isEqualTo(2);
    }

    @Test
    void aWaitingResourceGetsNoFinalizerAndNoIntent() {
      driver.secrets.remove("cm-app");

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.WAITING_FOR_SECRET);
      assertThat(driver.context.metadataPatches()).isZero();
      assertThat(driver.finalizerHolds()).isFalse();
    }

    @Test
    void anOAuthResourceAwaitingConsentGetsTheFinalizerButNoIntent() {
      driver.cr.getSpec().getOauth().setAuthorizationCodeRef(null);

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.AWAITING_CONSENT);
      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.intent()).isEmpty();
    }

    @Test
    void anEventWithinTheResyncIntervalCostsNoCallAndNoWrite() {
      createdId();
      driver.advance(Duration.ofMinutes(4));

      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(control.isNoUpdate()).isTrue();
      assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(6).toMillis());
    }

    @Test
    void aPostWithoutAnswerIsNotRepeatedBeforeItSettles() {
      driver.cloud.failNext(Call.CREATE, 0);

      UpdateControl<CampaignMonitorInstance> first = driver.reconcile();
      assertThat(driver.reason()).isEqualTo(ReadyReason.UPSTREAM_UNAVAILABLE);
      assertThat(first.getScheduleDelay()).isPresent();

      driver.cloud.clearCalls();
      driver.advance(Duration.ofSeconds(5));
      UpdateControl<CampaignMonitorInstance> settling = driver.reconcile();
      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]");
      assertThat(settling.getScheduleDelay().orElseThrow()).isGreaterThanOrEqualTo(15_000L);

      driver.cloud.clearCalls();
      driver.advance(Duration.ofSeconds(20));
      driver.reconcile();
      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]", "POST /instances");
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    }

    @Test
    void theInstanceOfAPostWhoseAnswerWasLostIsAdoptedByItsTag() {
      driver.cloud.loseNextAnswer(Call.CREATE);
      driver.reconcile();
      driver.cloud.clearCalls();

      driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("GET /instances?tags[]");
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
      assertThat(driver.cloud.instances()).hasSize(1);
      assertThat(driver.outputValue("id"))
          .contains(Long.toString(driver.cloud.instances().get(0).id()));
      assertThat(driver.events.reasons())
          .containsExactly("Warning UpstreamUnavailable", "Normal Adopted");
    }

    @Test
    void transientFailuresRetryWithGrowingBackoffAndAnnounceOnce() {
      driver.cloud.failNext(Call.CREATE, 503).failNext(Call.CREATE, 503).failNext(Call.CREATE, 503);

      long first = driver.reconcile().getScheduleDelay().orElseThrow();
      driver.reconcile();
      long third = driver.reconcile().getScheduleDelay().orElseThrow();

      assertThat(driver.reason()).isEqualTo(ReadyReason.UPSTREAM_UNAVAILABLE);
      assertThat(third).isGreaterThan(first);
      assertThat(driver.events.reasons()).containsExactly("Warning UpstreamUnavailable");
      assertThat(driver.reconcile().getScheduleDelay()).contains(RESYNC.toMillis());
    }

    @Test
    void rejectedCredentialsStallWithoutCallsUntilTheInputsChange() {
      driver.cloud.failNext(Call.CREATE, 401);
      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();
      assertThat(driver.reason()).isEqualTo(ReadyReason.CREDENTIALS_REJECTED);
      assertThat(control.getScheduleDelay()).isEmpty();

      driver.cloud.clearCalls();
      assertThat(driver.reconcile().isNoUpdate()).isTrue();
      assertThat(driver.cloud.calls()).isEmpty();

      driver.secrets.put(
          "ce-credentials", "userSecret", "fixed", "organizationSecret", "org-s3cret");
      driver.secrets.put(
          "cm-code", "code", "code-2"); // the refused POST used up the single-use code
      driver.reconcile();
      assertThat(driver.cloud.calls())
          .as("the refused POST cleared the intent: no lookup")
          .containsExactly("POST /instances");
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    }
  }

  @Nested
  class Adopt {

    @Test
    void adoptsTheInstanceNamedInTheSpecAndAppliesTheSpecToIt() {
      RemoteInstance existing = driver.cloud.seed("old name", List.of());
      driver.cr.getSpec().setInstanceId(existing.id());

      driver.reconcile();

      long id = existing.id();
      assertThat(driver.cloud.calls())
          .containsExactly("GET /instances/" + id, "PATCH /instances/" + id);
      assertThat(driver.cloud.instance(id).orElseThrow().name()).isEqualTo("story");
      assertThat(driver.outputValue("token")).contains(existing.token());
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
      assertThat(driver.events.reasons()).containsExactly("Normal Adopted");
    }

    @Test
    void aSpecInstanceIdThatDoesNotExistStalls() {
      driver.cr.getSpec().setInstanceId(4242L);

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.INSTANCE_NOT_FOUND);
      assertThat(driver.cr.getStatus().getStalledInputsFingerprint()).isNotNull();
      assertThat(driver.cloud.instances()).isEmpty();
    }
  }

  @Nested
  class Sync {

    @Test
    void afterTheResyncIntervalReadsTheInstanceBackAndChangesNothingWhenInLine() {
      long id = createdId();
      driver.advance(RESYNC.plusSeconds(1));

      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.cloud.calls()).containsExactly("GET /instances/" + id);
      assertThat(control.isNoUpdate()).isTrue();
      assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
    }

    @Test
    void aSpecChangeIsPatchedPartByPart() {
      long id = createdId();
      driver.editSpec(spec -> spec.setInstanceName("renamed"));

      driver.reconcile();

      assertThat(driver.cloud.calls())
          .containsExactly("GET /instances/" + id, "PATCH /instances/" + id);
      assertThat(driver.cloud.instance(id).orElseThrow().name()).isEqualTo("renamed");
      assertThat(driver.events.all())
          .last()
          .asString()
          .startsWith("Normal Updated: Updated name of instance");
      assertThat(driver.cr.getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aDriftedOutputSecretIsRestored() {
      long id = createdId();
      driver.secrets.put(OUTPUT, "id", Long.toString(id), "token", "tampered");

      driver.reconcile();

      assertThat(driver.outputValue("token"))
          .contains(driver.cloud.instance(id).orElseThrow().token());
      assertThat(driver.events.reasons()).last().isEqualTo("Normal SecretRestored");
    }

    @Test
    void anInvalidInstanceIsReportedAndCheckedAgainAtTheResync() {
      long id = createdId();
      driver.cloud.invalidate(id);
      driver.advance(RESYNC.plusSeconds(1));

      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.INSTANCE_INVALID);
      assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
    }
  }

  @Nested
  class Recreate {

    @Test
    void aVanishedInstanceIsCreatedAgainWithBasicAuthorization() {
      driver.secrets.put("cm-key", "apiKey", "k");
      driver.cr.getSpec().setOauth(null);
      BasicAuthSpec basic = new BasicAuthSpec();
      basic.setApiKeyRef(new SecretKeyReference("cm-key", "apiKey"));
      driver.cr.getSpec().setBasic(basic);
      long id = createdId();
      driver.cloud.deleteOutOfBand(id);
      driver.advance(RESYNC.plusSeconds(1));

      driver.reconcile();

      assertThat(driver.cloud.calls())
          .containsExactly("GET /instances/" + id, "GET /instances?tags[]", "POST /instances");
      long replacement = driver.cr.getStatus().getInstanceId();
      assertThat(replacement).isNotEqualTo(id);
      assertThat(driver.outputValue("id")).contains(Long.toString(replacement));
      assertThat(driver.events.reasons()).last().isEqualTo("Normal Recreated");
    }

    @Test
    void withOAuthTheUsedCodeCannotCreateItAgain() {
      long id = createdId();
      driver.cloud.deleteOutOfBand(id);
      driver.advance(RESYNC.plusSeconds(1));

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.AUTHORIZATION_REQUIRED);
      assertThat(driver.message()).startsWith("The instance was deleted in Cloud Elements");
      assertThat(driver.cloud.calls()).doesNotContain("POST /instances");

      driver.secrets.put("cm-code", "code", "code-2");
      driver.reconcile();
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
      assertThat(driver.events.reasons()).last().isEqualTo("Normal Recreated");
    }
  }

  @Nested
  class Reauthorize {

    @Test
    void aNewCodeIsSentToTheInstanceAndTheNewTokenWritten() {
      long id = createdId();
      String before = driver.outputValue("token").orElseThrow();
      driver.secrets.put("cm-code", "code", "code-2");

      driver.reconcile();

      assertThat(driver.cloud.calls())
          .containsExactly("GET /instances/" + id, "PUT /instances/" + id);
      assertThat(driver.outputValue("token")).isPresent().get().isNotEqualTo(before);
      assertThat(driver.events.reasons()).contains("Normal Reauthorized");
      driver.cloud.clearCalls();
      driver.reconcile();
      assertThat(driver.cloud.calls()).isEmpty();
    }

    @Test
    void aRefusedCodeCountsAsUsed() {
      createdId();
      driver.secrets.put("cm-code", "code", "code-2");
      driver.cloud.failNext(Call.REAUTHORIZE, 400);

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.REQUEST_REJECTED);
      assertThat(driver.cr.getStatus().getConsumedCodeFingerprint())
          .isEqualTo(io.cloudelements.operator.cloudelements.Fingerprints.of("code-2"));
    }
  }

  @Nested
  class Delete {

    @Test
    void deletesTheInstanceReleasesTheCredentialsAndRemovesTheFinalizer() {
      long id = createdId();

      UpdateControl<CampaignMonitorInstance> control = driver.cleanup();

      assertThat(driver.finalizerHolds()).isFalse();
      assertThat(control.isNoUpdate()).isTrue();
      assertThat(driver.cloud.calls()).containsExactly("DELETE /instances/" + id);
      assertThat(driver.cloud.instances()).isEmpty();
      assertThat(driver.events.reasons()).last().isEqualTo("Normal Deleted");
      assertThat(driver.credentialsHeld()).isFalse();
    }

    @Test
    void aTransientFailureKeepsTheFinalizerWritesDeletingAndRetries() {
      long id = createdId();
      int patchesBefore = driver.context.statusPatches();
      driver.cloud.failNext(Call.DELETE, 503);

      UpdateControl<CampaignMonitorInstance> control = driver.cleanup();

      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(control.getScheduleDelay()).isPresent();
      assertThat(driver.context.statusPatches() - patchesBefore).isEqualTo(1);
      assertThat(driver.reason()).isEqualTo(ReadyReason.DELETING);
      assertThat(driver.cloud.instance(id)).isPresent();
      assertThat(driver.reconciler.remembered()).isOne();

      driver.cleanup();
      assertThat(driver.finalizerHolds()).isFalse();
      assertThat(driver.cloud.instances()).isEmpty();
    }

    @Test
    void missingCredentialsStallTheDeletionWithoutACall() {
      createdId();
      driver.secrets.remove("ce-credentials");

      driver.cleanup();

      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.reason()).isEqualTo(ReadyReason.CREDENTIALS_MISSING);
      assertThat(driver.cloud.calls()).isEmpty();
    }

    @Test
    void orphanLeavesTheInstanceAndKeepsTheSecretWithoutOwner() {
      long id = createdId();
      driver.cr.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);

      driver.cleanup();

      assertThat(driver.finalizerHolds()).isFalse();
      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(driver.cloud.instance(id)).isPresent();
      Secret output = driver.secrets.get(OUTPUT).orElseThrow();
      assertThat(InstanceSecret.isControlledBy(output, driver.cr)).isFalse();
      assertThat(driver.events.reasons()).last().isEqualTo("Normal Orphaned");
      assertThat(driver.credentialsHeld()).isFalse();
    }

    /**
     * A POST without an answer may still create the instance: a deletion right after it waits the
     * settle time before its tag lookup decides, so the late instance is found and deleted.
     */
    @Test
    void aDeletionRightAfterAnUnansweredPostWaitsForItToSettle() {
      driver.cloud.loseNextAnswer(Call.CREATE);
      driver.reconcile();
      assertThat(driver.cloud.instances()).hasSize(1);

      UpdateControl<CampaignMonitorInstance> waiting = driver.cleanup();

      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.reason()).isEqualTo(ReadyReason.DELETING);
      assertThat(waiting.getScheduleDelay()).isPresent();
      assertThat(driver.cloud.calls()).containsExactly("POST /instances");

      driver.advance(ReconcilerDriver.SETTLE);
      driver.cleanup();

      assertThat(driver.finalizerHolds()).isFalse();
      assertThat(driver.cloud.instances()).isEmpty();
    }

    /**
     * A waiting resource that shares the credentials Secret gets no finalizer and so no cleanup:
     * its delete event must still release the Secret, or its in-use finalizer would stay forever.
     */
    @Test
    void theLastSharerToGoReleasesTheCredentialsEvenWithoutAFinalizer() {
      createdId();
      CampaignMonitorInstance waiting = ReconcilerDriver.oauthResource();
      waiting.getMetadata().setName("waiting");
      waiting.getMetadata().setUid("uid-waiting");
      waiting.getSpec().getOauth().getConsumerKeyRef().setName("absent-app");
      driver.context.add(waiting);
      driver.reconcile(waiting);
      assertThat(waiting.hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER)).isFalse();

      driver.cleanup();
      driver.deleteEvent();
      assertThat(driver.credentialsHeld()).as("still referenced by the waiting one").isTrue();

      driver.context.deleteEvent(true);
      driver.reconcile(waiting);
      driver.context.remove(waiting);

      assertThat(driver.credentialsHeld()).isFalse();
    }

    @Test
    void aResourceWithoutTheFinalizerIsLeftToGoAndItsDeleteEventForgetsIt() {
      driver.secrets.remove("cm-app");
      driver.reconcile();
      assertThat(driver.reconciler.remembered()).isOne();

      UpdateControl<CampaignMonitorInstance> control = driver.cleanup();

      assertThat(control.isNoUpdate()).isTrue();
      assertThat(control.getScheduleDelay()).isEmpty();
      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(driver.context.metadataPatches()).isZero();
      driver.deleteEvent();
      assertThat(driver.reconciler.remembered()).isZero();
    }
  }

  @Nested
  class Validate {

    @Test
    void aMissingSecretWaitsWithoutCallsAndWithoutHoldingTheCredentials() {
      driver.secrets.remove("cm-app");

      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.WAITING_FOR_SECRET);
      assertThat(driver.message()).contains("cm-app");
      assertThat(control.getScheduleDelay()).isEmpty();
      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(driver.credentialsHeld()).isFalse();

      driver.secrets.put("cm-app", "consumerKey", "ck", "consumerSecret", "cs");
      driver.reconcile();
      assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
      assertThat(driver.credentialsHeld()).isTrue();
    }

    @Test
    void aSecretValueWithALineBreakWaitsAndIsNeverQuoted() {
      driver.secrets.put("cm-app", "consumerKey", "ck", "consumerSecret", "line-one\nSECRET-TAIL");

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.WAITING_FOR_SECRET);
      assertThat(driver.message()).contains("cm-app").contains("control character");
      assertThat(driver.message()).doesNotContain("SECRET-TAIL").doesNotContain("line-one");
      assertThat(driver.cloud.calls()).isEmpty();
    }

    @Test
    void aSecretOwnedBySomeoneElseIsLeftUntouched() {
      driver.secrets.put(OUTPUT, "id", "1", "token", "theirs");

      driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.SECRET_CONFLICT);
      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(driver.secrets.writes()).isEmpty();
      assertThat(driver.outputValue("token")).contains("theirs");
      assertThat(driver.events.reasons()).containsExactly("Warning SecretConflict");
    }

    @Test
    void pausedMakesNoCallAndAnnouncesItAsNormal() {
      driver.annotate(Annotations.PAUSED, "true");

      UpdateControl<CampaignMonitorInstance> control = driver.reconcile();

      assertThat(driver.reason()).isEqualTo(ReadyReason.PAUSED);
      assertThat(control.getScheduleDelay()).isEmpty();
      assertThat(driver.cloud.calls()).isEmpty();
      assertThat(driver.events.reasons()).containsExactly("Normal Paused");
      driver.cleanup();
      assertThat(driver.cloud.calls()).isEmpty();
    }

    @Test
    void aPausedResourceWithAnInstanceKeepsItsFinalizerWhenDeleted() {
      createdId();
      driver.annotate(Annotations.PAUSED, "true");

      driver.cleanup();

      assertThat(driver.finalizerHolds()).isTrue();
      assertThat(driver.reason()).isEqualTo(ReadyReason.PAUSED);
      assertThat(driver.cloud.calls()).isEmpty();
    }
  }

  @Test
  void anUnexpectedFailureIsShownAsCreating() {
    var control =
        driver.reconciler.updateErrorStatus(
            driver.cr, driver.context, new IllegalStateException("x"));

    assertThat(control.getResource()).isPresent();
    assertThat(driver.reason()).isEqualTo(ReadyReason.CREATING);
    assertThat(driver.message()).contains("IllegalStateException");
  }

  @Test
  void noCallOrWriteCarriesASecretValueIntoAnEvent() {
    createdId();
    driver.secrets.put("cm-code", "code", "code-2");
    driver.reconcile();
    driver.cleanup();

    assertThat(String.join("\n", driver.events.all()))
        .doesNotContain("user-s3cret", "org-s3cret", "code-1", "code-2", "fake-token");
    assertThat(Optional.ofNullable(driver.cr.getStatus().getTokenFingerprint()))
        .get()
        .asString()
        .startsWith("sha256:");
  }
}
