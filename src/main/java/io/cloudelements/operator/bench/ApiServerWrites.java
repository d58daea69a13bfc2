package io.cloudelements.operator.bench;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Counts the API server's requests by verb, and waits for its writes to stop. */
final class ApiServerWrites {

  private ApiServerWrites() {}

  /**
   * Waits until the API server has seen no write for {@code quiet} (at most {@code max}): the
   * operator sends its Events in the background, so the last Created Events can arrive just after
   * the last status patch; they are writes of the creation, not of the steady state.
   */
  static void awaitNoWrites(EmbeddedKubernetes kubernetes, Duration quiet, Duration max)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(max);
    long writes = writes(kubernetes.dispatcher().requestsByVerb());
    Instant quietSince = Instant.now();
    while (Instant.now().isBefore(deadline)
        && Duration.between(quietSince, Instant.now()).compareTo(quiet) < 0) {
      Thread.sleep(50);
      long now = writes(kubernetes.dispatcher().requestsByVerb());
      if (now != writes) {
        writes = now;
        quietSince = Instant.now();
      }
    }
  }

  static long writes(Map<String, Long> verbs) {
    return BenchResult.WRITE_VERBS.stream().mapToLong(v -> verbs.getOrDefault(v, 0L)).sum();
  }

  static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach((verb, count) -> diff.put(verb, count - before.getOrDefault(verb, 0L)));
    return diff;
  }
}
