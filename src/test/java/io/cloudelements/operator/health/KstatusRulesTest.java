package io.cloudelements.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.health.Kstatus.Result;
import io.cloudelements.operator.health.Kstatus.Status;
import io.cloudelements.operator.reconciler.Outcome;
import io.cloudelements.operator.reconciler.ReadyReason;
import io.cloudelements.operator.reconciler.StatusConditions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kstatus, as Flux ({@code wait: true}) and other kstatus clients compute it, against the
 * operator's real states. {@link Kstatus} encodes the rules; {@link Rules} pins each rule on
 * hand-made objects, {@link OperatorStates} runs the committed fixtures (built from the real
 * classes) through them.
 */
class KstatusRulesTest {

  @Nested
  class Rules {

    @Test
    void deletionTimestampIsTerminatingWhateverTheConditionsSay() {
      Map<String, Object> obj = object(1, 1, condition("Ready", "True", "ok"));
      metadata(obj).put("deletionTimestamp", "2026-01-05T10:00:00Z");

      assertThat(Kstatus.compute(obj))
          .isEqualTo(new Result(Status.Terminating, "Resource scheduled for deletion"));
    }

    @Test
    void generationNewerThanObservedGenerationIsInProgressEvenWhenReady() {
      Map<String, Object> obj = object(3, 2, condition("Ready", "True", "ok"));

      assertThat(Kstatus.compute(obj))
          .isEqualTo(
              new Result(
                  Status.InProgress,
                  "CampaignMonitorInstance generation is 3, but latest observed generation is 2"));
    }

    @Test
    void missingObservedGenerationSkipsTheGenerationCheck() {
      Map<String, Object> obj = object(3, null, condition("Ready", "True", "ok"));

      assertThat(Kstatus.compute(obj).status()).isEqualTo(Status.Current);
    }

    @Test
    void reconcilingTrueIsInProgressWithItsMessage() {
      Map<String, Object> obj =
          object(
              1,
              1,
              condition("Ready", "False", "r"),
              condition("Reconciling", "True", "busy"),
              condition("Stalled", "False", "s"));

      assertThat(Kstatus.compute(obj)).isEqualTo(new Result(Status.InProgress, "busy"));
    }

    @Test
    void stalledTrueIsFailedWithItsMessage() {
      Map<String, Object> obj =
          object(
              1,
              1,
              condition("Ready", "False", "r"),
              condition("Reconciling", "False", "x"),
              condition("Stalled", "True", "401 from the API"));

      assertThat(Kstatus.compute(obj)).isEqualTo(new Result(Status.Failed, "401 from the API"));
    }

    @Test
    void reconcilingAndStalledAreReadInListOrder() {
      assertThat(
              Kstatus.compute(
                      object(
                          1,
                          1,
                          condition("Stalled", "True", "s"),
                          condition("Reconciling", "True", "r")))
                  .status())
          .isEqualTo(Status.Failed);
      assertThat(
              Kstatus.compute(
                      object(
                          1,
                          1,
                          condition("Reconciling", "True", "r"),
                          condition("Stalled", "True", "s")))
                  .status())
          .isEqualTo(Status.InProgress);
    }

    @Test
    void standardConditionsOutrankReady() {
      Map<String, Object> obj =
          object(1, 1, condition("Ready", "True", "ok"), condition("Reconciling", "True", "busy"));

      assertThat(Kstatus.compute(obj)).isEqualTo(new Result(Status.InProgress, "busy"));
    }

    @ParameterizedTest
    @CsvSource({
      "True, Current, Resource is Ready",
      "False, InProgress, why",
      "Unknown, InProgress, why"
    })
    void readyConditionIsTheFallback(String ready, Status expected, String message) {
      Map<String, Object> obj =
          object(
              1,
              1,
              condition("Ready", ready, "why"),
              condition("Reconciling", "False", "x"),
              condition("Stalled", "False", "y"));

      assertThat(Kstatus.compute(obj)).isEqualTo(new Result(expected, message));
    }

    @Test
    void anObjectWithoutStatusOrKnownConditionsIsCurrent() {
      Map<String, Object> noStatus = object(1, null);
      noStatus.remove("status");

      assertThat(Kstatus.compute(noStatus))
          .isEqualTo(new Result(Status.Current, "Resource is current"));
      assertThat(Kstatus.compute(object(1, 1, condition("Synced", "False", "x"))))
          .isEqualTo(new Result(Status.Current, "Resource is current"));
    }
  }

  @Nested
  class OperatorStates {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
        # fixture   | kstatus     | message
        creating    | InProgress  | Recording the instance failed (Kubernetes API answered 409); retrying
        ready       | Current     | Resource is Ready
        retrying    | InProgress  | Cloud Elements POST /instances answered 503: Service Unavailable (requestId req-7f3a); retrying with backoff
        terminal    | Failed      | Cloud Elements POST /instances answered 401: Invalid Organization or User secret, or invalid Element token provided. (requestId req-9c21); check userSecret and organizationSecret in the credentials Secret
        paused      | InProgress  | Annotation cloudelements.io/paused="true" is set: no calls to Cloud Elements until it is removed
        deleting    | Terminating | Resource scheduled for deletion
        stale-ready | InProgress  | CampaignMonitorInstance generation is 2, but latest observed generation is 1
        awaiting-consent | InProgress | Creating the instance needs an authorization code: open the consent URL in status.authorization.url (kubectl get cmi newsletter -o wide, column CONSENT-URL) and approve access before 2026-01-05T09:15:02Z; the operator receives the code itself
        consent-denied | Failed | Access was denied at the Campaign Monitor consent page. To ask again, set a new value on the annotation cloudelements.io/restart-consent (kubectl annotate cmi newsletter cloudelements.io/restart-consent="$(date +%s)" --overwrite), or change the spec
        """)
    void committedFixtureHasTheExpectedKstatus(String fixture, Status expected, String message) {
      assertThat(Kstatus.compute(HealthFixtures.load(fixture)))
          .isEqualTo(new Result(expected, message));
    }

    /**
     * kstatus cannot tell a custom resource that no controller has looked at yet from one that
     * needs no status: both are Current (its own comment on checkReadyCondition says so). The
     * operator cannot write a status before its first reconcile, so a plain {@code wait: true} may
     * pass in that window; the healthCheckExprs in docs/gitops.md do not (see
     * FluxHealthCheckExprsTest).
     */
    @Test
    void aJustAppliedResourceWithoutStatusIsCurrentToKstatus() {
      assertThat(Kstatus.compute(HealthFixtures.load(HealthFixtures.NEW)))
          .isEqualTo(new Result(Status.Current, "Resource is current"));
    }

    /**
     * Paused: kstatus has no "suspended". The operator writes Ready=False reason Paused with
     * neither Reconciling nor Stalled, so the standard conditions decide nothing and the Ready
     * fallback makes it InProgress: not Current (the applied spec is not being acted on) and not
     * Failed (nothing is broken; removing the annotation resumes it).
     */
    @Test
    void pausedIsInProgressThroughTheReadyFallback() {
      Map<String, Object> paused = HealthFixtures.load(HealthFixtures.PAUSED);
      assertThat(conditionStatuses(paused))
          .containsEntry("Ready", "False")
          .containsEntry("Reconciling", "False")
          .containsEntry("Stalled", "False");

      assertThat(Kstatus.compute(paused).status()).isEqualTo(Status.InProgress);
    }

    /**
     * Every reason the operator can write, through the real StatusConditions, lands where kstatus
     * should put it.
     */
    @Test
    void everyReasonMapsToTheKstatusTheContractPromises() {
      for (ReadyReason reason : allReasons()) {
        CampaignMonitorInstance cr = HealthFixtures.fresh();
        cr.getMetadata().setGeneration(4L);
        cr.setStatus(new io.cloudelements.operator.api.CampaignMonitorInstanceStatus());
        cr.getStatus().setObservedGeneration(4L);
        cr.getStatus()
            .setConditions(
                StatusConditions.next(
                    List.of(),
                    new Outcome(reason, "m-" + reason),
                    4,
                    Instant.parse("2026-01-05T09:00:00Z")));
        Map<String, Object> obj = asMap(cr);

        Status expected =
            reason.kind() == ReadyReason.Kind.READY
                ? Status.Current
                : reason.kind() == ReadyReason.Kind.STALLED ? Status.Failed : Status.InProgress;
        assertThat(Kstatus.compute(obj))
            .as(reason.value())
            .isEqualTo(
                new Result(
                    expected, expected == Status.Current ? "Resource is Ready" : "m-" + reason));

        cr.getMetadata().setGeneration(5L);
        assertThat(Kstatus.compute(asMap(cr)).status())
            .as(reason + " with a newer generation")
            .isEqualTo(Status.InProgress);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  static List<ReadyReason> allReasons() {
    List<ReadyReason> reasons = List.of(ReadyReason.values());
    assertThat(reasons)
        .extracting(ReadyReason::value)
        .contains("Available", "Paused", "Deleting", "CredentialsRejected");
    return reasons;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(CampaignMonitorInstance cr) {
    return (Map<String, Object>)
        HealthFixtures.asApiServerJson(Serialization.jsonMapper().convertValue(cr, Map.class));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> conditionStatuses(Map<String, Object> obj) {
    Map<String, String> statuses = new HashMap<>();
    for (Object c : (List<Object>) ((Map<String, Object>) obj.get("status")).get("conditions")) {
      Map<String, Object> condition = (Map<String, Object>) c;
      statuses.put((String) condition.get("type"), (String) condition.get("status"));
    }
    return statuses;
  }

  @SafeVarargs
  private static Map<String, Object> object(
      long generation, Integer observedGeneration, Map<String, Object>... conditions) {
    Map<String, Object> metadata =
        new HashMap<>(Map.of("name", "x", "namespace", "ns", "generation", generation));
    Map<String, Object> status = new HashMap<>();
    if (observedGeneration != null) {
      status.put("observedGeneration", observedGeneration.longValue());
    }
    status.put("conditions", Arrays.asList(conditions));
    Map<String, Object> obj = new HashMap<>();
    obj.put("apiVersion", "cloudelements.io/v1alpha1");
    obj.put("kind", "CampaignMonitorInstance");
    obj.put("metadata", metadata);
    obj.put("status", status);
    return obj;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> obj) {
    return (Map<String, Object>) obj.get("metadata");
  }

  private static Map<String, Object> condition(String type, String status, String message) {
    return Map.of("type", type, "status", status, "reason", "R", "message", message);
  }
}
