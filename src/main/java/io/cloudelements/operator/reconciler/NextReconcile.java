package io.cloudelements.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.BaseControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place that decides when a resource is reconciled next: backoff, resync or the next drift
 * check.
 */
final class NextReconcile {

  private final Backoff backoff;
  private final Clock clock;
  private final Duration resyncInterval;

  NextReconcile(Backoff backoff, Clock clock, Duration resyncInterval) {
    this.backoff = backoff;
    this.clock = clock;
    this.resyncInterval = resyncInterval;
  }

  /**
   * The delay until the next reconcile; empty to wait for an event. Counts failures in {@code
   * memory}.
   */
  Optional<Duration> after(Next next, ResourceMemory memory) {
    if (next instanceof Next.RetryAfter retry) {
      return Optional.of(backoff.delay(memory.countFailure(), retry.atLeast()));
    }
    if (next instanceof Next.CheckAt check) {
      return Optional.of(Duration.between(clock.instant(), check.at()));
    }
    memory.resetFailures();
    if (next instanceof Next.Resync) {
      memory.verified(clock.instant());
      return Optional.of(resyncInterval);
    }
    memory.verified(null);
    if (next instanceof Next.ConsentExpires expires) {
      Duration left = Duration.between(clock.instant(), expires.at());
      return Optional.of(left.isNegative() ? Duration.ZERO : left.plusSeconds(1));
    }
    return Optional.empty();
  }

  /** {@code control}, rescheduled after the delay of {@link #after}, if any. */
  <T extends BaseControl<T>> T schedule(T control, Next next, ResourceMemory memory) {
    return after(next, memory).map(control::rescheduleAfter).orElse(control);
  }
}
