package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
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

  /** For reconcile: JOSDK patches the status when it changed. */
  UpdateControl<CampaignMonitorInstance> write(Observation seen, Decision decision) {
    if (!record(seen, decision)) {
      return UpdateControl.noUpdate();
    }
    seen.cr().setStatus(seen.status());
    return UpdateControl.patchStatus(seen.cr());
  }

  /** For cleanup, where JOSDK writes no status: patches it here when it changed. */
  void patch(Observation seen, Decision decision, Context<CampaignMonitorInstance> context) {
    if (record(seen, decision)) {
      context
          .resourceOperations()
          .jsonPatchPrimaryStatus(
              seen.cr(),
              c -> {
                c.setStatus(seen.status());
                return c;
              });
    }
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
      CreateIntent.clear(seen);
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
