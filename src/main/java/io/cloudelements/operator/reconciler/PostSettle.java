package io.cloudelements.operator.reconciler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The wait after a POST /instances that got no answer: Cloud Elements may still process it until
 * the settle time has passed, so neither a new POST nor a tag lookup that decides "nothing was
 * created" (a create's, or a deletion's) may come earlier.
 */
final class PostSettle {

  private final Clock clock;
  private final Duration settle;

  PostSettle(Clock clock, Duration settle) {
    this.clock = clock;
    this.settle = settle;
  }

  /** How long the resource's last unanswered POST may still take effect; empty when it cannot. */
  Optional<Duration> left(ResourceMemory memory) {
    Instant unanswered = memory.unansweredPostAt();
    if (unanswered == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), unanswered.plus(settle));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }
}
