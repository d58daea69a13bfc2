package io.cloudelements.operator.reconciler;

/**
 * The result of one reconcile, as the Ready reason and message. Whether it is in progress (Reconciling) or
 * terminal (Stalled) follows from the reason; a paused resource is neither.
 */
public record Outcome(String reason, String message) {

  public static Outcome available(long instanceId, String secretName) {
    return new Outcome(Reasons.AVAILABLE, "Instance " + instanceId + " is ready; its id and token are in Secret "
        + secretName);
  }

  public boolean ready() {
    return Reasons.AVAILABLE.equals(reason);
  }

  public boolean stalled() {
    return Reasons.isTerminal(reason);
  }

  public boolean paused() {
    return Reasons.PAUSED.equals(reason);
  }

  public boolean reconciling() {
    return !ready() && !stalled() && !paused();
  }
}
