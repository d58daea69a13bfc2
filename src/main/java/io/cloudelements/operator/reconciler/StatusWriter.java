package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4, write status: puts a decision into the status, announces a new Ready reason, and writes
 * the status only when it changed. Used by both reconcile and cleanup.
 */
final class StatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final EventPublisher events;
  private final Clock clock;

  StatusWriter(EventPublisher events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * For reconcile: JOSDK patches the status when it changed, unless this reconcile already patched
   * the resource's metadata (finalizer, create intent): JOSDK would then start from the resource as
   * it was before that patch was stored, so the status is patched here.
   */
  UpdateControl<CampaignMonitorInstance> write(
      Observation seen,
      Decision decision,
      CreateIntent intent,
      Context<CampaignMonitorInstance> context) {
    if (intent.written()) {
      patch(seen, decision, context);
      return UpdateControl.noUpdate();
    }
    return write(seen, decision);
  }

  private UpdateControl<CampaignMonitorInstance> write(Observation seen, Decision decision) {
    if (!record(seen, decision)) {
      return UpdateControl.noUpdate();
    }
    seen.cr().setStatus(seen.status());
    return UpdateControl.patchStatus(seen.cr());
  }

  /** For cleanup, where JOSDK writes no status, and after an intent: patches it when it changed. */
  void patch(Observation seen, Decision decision, Context<CampaignMonitorInstance> context) {
    if (record(seen, decision)) {
      StatusPatcher.of(context).patch(seen.cr(), seen.status());
    }
  }

  /**
   * For an unexpected failure, such as the API server refusing the Secret write: shown as Creating,
   * retried by JOSDK.
   */
  ErrorStatusUpdateControl<CampaignMonitorInstance> writeError(
      CampaignMonitorInstance cr, Exception e) {
    String detail =
        e instanceof KubernetesClientException k
            ? "Kubernetes API answered " + k.getCode()
            : e.getClass().getSimpleName();
    LOG.warn("Reconcile failed: {}", detail);
    CampaignMonitorInstanceStatus status = Observation.copyOf(cr.getStatus());
    apply(
        cr,
        status,
        new Outcome(
            ReadyReason.CREATING, "Recording the instance failed (" + detail + "); retrying"));
    cr.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(cr);
  }

  /** The conditions for {@code outcome}, without announcing it: for an unexpected failure. */
  void apply(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, Outcome outcome) {
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    status.setObservedGeneration(generation);
    status.setConditions(
        StatusConditions.next(status.getConditions(), outcome, generation, clock.instant()));
    if (!outcome.stalled()) {
      status.setStalledInputsFingerprint(null);
    }
  }

  /** True when the status now differs from the stored one. */
  private boolean record(Observation seen, Decision decision) {
    announce(seen.cr(), decision.outcome());
    if (decision.stalledInputs() != null) {
      seen.status().setStalledInputsFingerprint(decision.stalledInputs());
    }
    apply(seen.cr(), seen.status(), decision.outcome());
    if (seen.status().getInstanceId() != null) {
      CreateIntent.clearLegacy(seen);
    }
    return seen.statusChanged();
  }

  /** One Event, and one log line, for each change of the Ready reason into anything but ready. */
  private void announce(CampaignMonitorInstance cr, Outcome outcome) {
    Optional<ReadyReason> before =
        cr.getStatus() == null
            ? Optional.empty()
            : StatusConditions.current(cr.getStatus().getConditions()).map(Outcome::reason);
    if (outcome.ready() || before.equals(Optional.of(outcome.reason()))) {
      return;
    }
    LOG.info("{}: {}", outcome.reason(), outcome.message());
    if (outcome.reason().announced()) {
      events.announce(cr, outcome);
    }
  }
}
