package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.cloudelements.CloudElementsException;
import java.time.Duration;
import java.time.Instant;

/**
 * What one reconcile decided: the Ready outcome, what happens next, and for a terminal failure the
 * fingerprint of the inputs that caused it (no call is made again until they change).
 */
record Decision(Outcome outcome, Next next, String stalledInputs) {

  static Decision waitFor(ReadyReason reason, String message) {
    return new Decision(new Outcome(reason, message), new Next.WaitForEvent(), null);
  }

  /** A terminal failure of these inputs: not tried again until they change. */
  static Decision stalledOn(String inputsFingerprint, ReadyReason reason, String message) {
    return new Decision(new Outcome(reason, message), new Next.WaitForEvent(), inputsFingerprint);
  }

  static Decision resync(Outcome outcome) {
    return new Decision(outcome, new Next.Resync(), null);
  }

  static Decision retry(Outcome outcome, Duration atLeast) {
    return new Decision(outcome, new Next.RetryAfter(atLeast), null);
  }

  static Decision checkAt(Outcome outcome, Instant at) {
    return new Decision(outcome, new Next.CheckAt(at), null);
  }

  /** The outcome already in the status stays; nothing was attempted. */
  static Decision unchanged(Outcome current) {
    return new Decision(current, new Next.WaitForEvent(), null);
  }

  /**
   * A failed call: retried with backoff when transient, else stalled on {@code inputsFingerprint}.
   */
  static Decision failed(CloudElementsException e, String inputsFingerprint) {
    Outcome outcome = FailureClassifier.outcome(e);
    if (outcome.stalled()) {
      return new Decision(outcome, new Next.WaitForEvent(), inputsFingerprint);
    }
    return retry(outcome, e.retryAfter().orElse(null));
  }
}
