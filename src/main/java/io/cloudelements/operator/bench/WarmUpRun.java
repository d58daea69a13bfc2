package io.cloudelements.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A few resources in their own namespace, created and brought to Ready before the measured ones, so
 * that the figures of these show a warmed-up process (classes loaded, code compiled) rather than
 * its first seconds.
 */
final class WarmUpRun {

  /**
   * The figures of the warm-up: how many became Ready, how long it took, the first resource's apply
   * to Ready.
   */
  record Warmup(int ready, Duration wall, Duration firstApplyToReady) {
    static final Warmup NONE = new Warmup(0, null, null);
  }

  private final BenchOptions options;
  private final Progress progress;

  WarmUpRun(BenchOptions options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the warm-up if the options ask for one; {@link Warmup#NONE} otherwise. */
  Warmup run(KubernetesClient admin) throws InterruptedException {
    int w = options.warmup();
    if (w <= 0) {
      return Warmup.NONE;
    }
    progress.say(
        "warming up with %d resources in namespace %s", w, BenchResources.WARMUP_NAMESPACE);
    Instant start = Instant.now();
    try (ReadyWatch warm = ReadyWatch.start(admin, BenchResources.WARMUP_NAMESPACE, w)) {
      Map<String, Instant> applied =
          ResourceApplier.apply(admin, BenchResources.WARMUP_NAMESPACE, w, 0);
      boolean done =
          warm.await(Duration.ofSeconds(60).plus(options.latency().multipliedBy(2L * w)));
      Map<String, ReadyWatch.Ready> ready = warm.ready();
      if (!done) {
        throw new IllegalStateException(
            "the warm-up did not finish: " + ready.size() + " of " + w + " Ready");
      }
      String first = BenchResources.name(0);
      return new Warmup(
          ready.size(),
          Duration.between(start, Instant.now()),
          ready.containsKey(first)
              ? Duration.between(applied.get(first), ready.get(first).at())
              : null);
    }
  }
}
