package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import java.util.Optional;

/** Step 2, validate: may the operator act on this resource, and with which inputs. */
sealed interface Validation permits Validation.Valid, Validation.Blocked {

  /** Every input is there: act on them. */
  record Valid(ResolvedInputs inputs) implements Validation {}

  /** Nothing is called: the decision says why. */
  record Blocked(Decision decision) implements Validation {}

  static Validation of(Observation seen) {
    if (Annotations.isPaused(seen.cr())) {
      return new Blocked(paused());
    }
    if (seen.output().isPresent()
        && !InstanceSecret.isControlledBy(seen.output().get(), seen.cr())) {
      return new Blocked(
          Decision.waitFor(
              ReadyReason.SECRET_CONFLICT,
              "Secret "
                  + seen.secretName()
                  + " already exists and is not controlled by this resource; it was left untouched. "
                  + "Delete it or choose another spec.secretName"));
    }
    ResolvedInputs inputs;
    try {
      inputs = InputResolver.resolve(seen.cr(), seen.secrets(), false);
    } catch (InputResolver.MissingSecretException e) {
      return new Blocked(Decision.waitFor(ReadyReason.WAITING_FOR_SECRET, e.getMessage()));
    }
    Optional<Outcome> stalled = stalledFor(seen.status(), inputs);
    if (stalled.isPresent()) {
      return new Blocked(Decision.unchanged(stalled.get()));
    }
    return new Valid(inputs);
  }

  static Decision paused() {
    return Decision.waitFor(
        ReadyReason.PAUSED,
        "Annotation "
            + Annotations.PAUSED
            + "=\"true\" is set: no calls to Cloud Elements until it is removed");
  }

  /**
   * The stored terminal outcome, when it came from exactly these inputs: trying them again cannot
   * help. The inputs' fingerprint (a hash of every input) is only computed when a terminal outcome
   * is stored.
   */
  private static Optional<Outcome> stalledFor(
      CampaignMonitorInstanceStatus status, ResolvedInputs inputs) {
    if (status.getStalledInputsFingerprint() == null
        || !status.condition(StatusConditions.STALLED).map(c -> c.isTrue()).orElse(false)
        || !inputs.fingerprint().equals(status.getStalledInputsFingerprint())) {
      return Optional.empty();
    }
    return StatusConditions.current(status.getConditions());
  }
}
