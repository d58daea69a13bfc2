package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import java.time.Duration;

/**
 * What one reconcile step decided.
 *
 * @param retryAfter the API's Retry-After, if it sent one; for an instance checked recently, the time until its next
 *     drift check
 * @param unchanged true when nothing was attempted because the inputs of a terminal error did not change
 */
record ReconcileResult(Outcome outcome, Duration retryAfter, boolean unchanged) {

  static ReconcileResult of(Outcome outcome) {
    return new ReconcileResult(outcome, null, false);
  }

  static ReconcileResult of(String reason, String message) {
    return of(new Outcome(reason, message));
  }

  static ReconcileResult unchanged(CampaignMonitorInstanceStatus status) {
    return new ReconcileResult(StatusConditions.current(status.getConditions()).orElseThrow(), null, true);
  }

  /** A failed call; a terminal one records the fingerprint of the inputs, so they are not tried again. */
  static ReconcileResult failed(CampaignMonitorInstanceStatus status, CloudElementsException e, String inputs) {
    Outcome outcome = FailureClassifier.outcome(e);
    if (outcome.stalled()) {
      status.setStalledInputsFingerprint(inputs);
    }
    return new ReconcileResult(outcome, e.retryAfter().orElse(null), false);
  }

  boolean retrying() {
    return Reasons.UPSTREAM_UNAVAILABLE.equals(outcome.reason()) || Reasons.RATE_LIMITED.equals(outcome.reason())
        || Reasons.DELETING.equals(outcome.reason());
  }
}
