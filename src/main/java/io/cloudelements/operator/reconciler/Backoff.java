package io.cloudelements.operator.reconciler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter; a {@code Retry-After} from the API wins when it is longer. */
public final class Backoff {

  private final Duration initial;
  private final Duration max;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /**
   * The delay before attempt {@code attempt + 1}, after {@code attempt} failures in a row (1 for
   * the first).
   */
  public Duration delay(int attempt, Duration retryAfter) {
    long base = initial.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20);
    long capped = Math.min(base, max.toMillis());
    long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    long delay = Math.min(jittered, max.toMillis());
    if (retryAfter != null) {
      delay = Math.max(delay, retryAfter.toMillis());
    }
    return Duration.ofMillis(delay);
  }
}
