package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.Collection;

/** Nearest-rank percentiles of a set of durations. */
public final class Percentiles {

  private final long[] sortedNanos;

  private Percentiles(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  public static Percentiles of(Collection<Duration> values) {
    return new Percentiles(values.stream().mapToLong(Duration::toNanos).sorted().toArray());
  }

  public int count() {
    return sortedNanos.length;
  }

  /**
   * The smallest value that at least {@code p} percent of the values do not exceed; zero when there
   * is none.
   */
  public Duration percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("p must be in (0, 100]");
    }
    if (sortedNanos.length == 0) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
    return Duration.ofNanos(sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)]);
  }

  public Duration max() {
    return sortedNanos.length == 0
        ? Duration.ZERO
        : Duration.ofNanos(sortedNanos[sortedNanos.length - 1]);
  }

  public Duration min() {
    return sortedNanos.length == 0 ? Duration.ZERO : Duration.ofNanos(sortedNanos[0]);
  }
}
