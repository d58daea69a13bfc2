package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.reconciler.ReadyReason.Kind;

/**
 * The result of one reconcile as the Ready reason and message; the reason's kind sets the
 * conditions.
 */
public record Outcome(ReadyReason reason, String message) {

  public static Outcome available(long instanceId, String secretName) {
    return new Outcome(
        ReadyReason.AVAILABLE,
        "Instance " + instanceId + " is ready; its id and token are in Secret " + secretName);
  }

  public boolean ready() {
    return reason.kind() == Kind.READY;
  }

  public boolean stalled() {
    return reason.kind() == Kind.STALLED;
  }

  public boolean paused() {
    return reason.kind() == Kind.PAUSED;
  }

  public boolean reconciling() {
    return reason.kind() == Kind.PROGRESSING || reason.kind() == Kind.RETRYING;
  }
}
