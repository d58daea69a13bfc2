package io.cloudelements.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter per resource; a {@code Retry-After} from the API wins when it is longer. */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** The delay before the next attempt for this resource, counting this failure. */
  public Duration next(String uid, Duration retryAfter) {
    int attempt = attempts.merge(uid, 1, Integer::sum);
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    long delay = Math.min(jittered, max.toMillis());
    if (retryAfter != null) {
      delay = Math.max(delay, retryAfter.toMillis());
    }
    return Duration.ofMillis(delay);
  }

  public void reset(String uid) {
    attempts.remove(uid);
  }
}
