package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.Fingerprints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Step 3, act: with valid inputs, skip the call when the instance was checked recently, else sync
 * the recorded instance, or create (or adopt) one when there is none or it vanished.
 */
final class RemoteActions {

  /** A check due sooner than this is made now rather than scheduled. */
  private static final Duration MIN_CHECK_DELAY = Duration.ofMillis(100);

  private final RemoteCreation creation;
  private final RemoteSync sync;
  private final Clock clock;
  private final Duration resyncInterval;

  RemoteActions(RemoteCreation creation, RemoteSync sync, Clock clock, Duration resyncInterval) {
    this.creation = creation;
    this.sync = sync;
    this.clock = clock;
    this.resyncInterval = resyncInterval;
  }

  /**
   * @param intent where a create records that its POST may be in flight, before it sends it
   */
  Decision act(Observation seen, ResolvedInputs inputs, CreateIntent intent) {
    Optional<Long> recorded = seen.recordedId();
    if (recorded.isEmpty()) {
      return creation.create(seen, inputs, false, intent);
    }
    Optional<Instant> nextCheck = nextCheck(seen, inputs, recorded.get());
    if (nextCheck.isPresent()) {
      return Decision.checkAt(
          Outcome.available(recorded.get(), seen.secretName()), nextCheck.get());
    }
    return sync.sync(seen, recorded.get(), inputs)
        .orElseGet(() -> creation.create(seen, inputs, true, intent));
  }

  /**
   * When the next drift check is due, if the instance was read back less than a resync interval ago
   * and nothing changed since: then an event (a shared Secret touched, say) costs no call.
   */
  private Optional<Instant> nextCheck(Observation seen, ResolvedInputs inputs, long id) {
    Instant verified = seen.memory().verifiedAt();
    if (verified == null) {
      return Optional.empty();
    }
    Instant due = verified.plus(resyncInterval);
    CampaignMonitorInstanceStatus status = seen.status();
    String code = inputs.authorizationCodeFingerprint();
    boolean upToDate =
        Objects.equals(status.getInstanceId(), id)
            && StatusConditions.current(status.getConditions()).map(Outcome::ready).orElse(false)
            && seen.output().flatMap(InstanceSecret::recordedId).equals(Optional.of(id))
            && seen.output()
                .flatMap(InstanceSecret::token)
                .map(Fingerprints::of)
                .equals(Optional.ofNullable(status.getTokenFingerprint()))
            && (code == null || code.equals(status.getConsumedCodeFingerprint()))
            && AppliedState.patch(inputs.desired(), status.getAppliedFingerprints()).isEmpty()
            && seen.output()
                .flatMap(InstanceSecret::signatureKey)
                .equals(Optional.ofNullable(inputs.webhookKey().keyValue()))
            && WebhookKeys.recorded(status, inputs.webhookKey());
    return upToDate && Duration.between(clock.instant(), due).compareTo(MIN_CHECK_DELAY) > 0
        ? Optional.of(due)
        : Optional.empty();
  }
}
