package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After all were Ready: the calls while the resyncs pass.
 *
 * @param duration how long the steady state was watched
 * @param kubernetes API-server requests by verb
 * @param cloudElements Cloud Elements calls by operation
 * @param cloudElementsSettling with faults: the calls between all Ready and the start of the steady
 *     state
 * @param settling with faults: how long that took; null without faults
 * @param getsMin fewest resync GETs of one instance in its window
 * @param getsMax most resync GETs of one instance in its window
 * @param getsTotal resync GETs of all instances in their windows
 * @param getsWhileCpuMeasured GETs of single instances while the operator's CPU was measured, also
 *     of the resources that were not created in the measured creation (the warm-up's, the
 *     start-up's): the resyncs that CPU time paid for
 * @param getAnomalies instances whose GETs were not one per interval: when they came, relative to
 *     Ready
 * @param apiServer the operator's API-server requests, as its client timed them
 * @param operatorCpuNanos CPU time of the operator's process (the whole bench process in process);
 *     -1 if unknown
 */
record SteadyPhase(
    Duration duration,
    Map<String, Long> kubernetes,
    Map<String, Long> cloudElements,
    Map<String, Long> cloudElementsSettling,
    Duration settling,
    int getsMin,
    int getsMax,
    long getsTotal,
    long getsWhileCpuMeasured,
    List<String> getAnomalies,
    ApiServerTimes apiServer,
    long operatorCpuNanos) {

  SteadyPhase {
    kubernetes = Collections.unmodifiableMap(new TreeMap<>(kubernetes));
    cloudElements = Collections.unmodifiableMap(new TreeMap<>(cloudElements));
    cloudElementsSettling = Collections.unmodifiableMap(new TreeMap<>(cloudElementsSettling));
    getAnomalies = List.copyOf(getAnomalies);
  }

  /**
   * The operator's process's CPU time per resync of one instance: over every instance's GET in the
   * same time, since the warm-up's resources resync too; null when unknown or none.
   */
  Duration cpuPerResync() {
    return operatorCpuNanos < 0 || getsWhileCpuMeasured == 0
        ? null
        : Duration.ofNanos(operatorCpuNanos / getsWhileCpuMeasured);
  }

  long kubernetesWrites() {
    return BenchResult.WRITE_VERBS.stream().mapToLong(v -> kubernetes.getOrDefault(v, 0L)).sum();
  }

  long cloudElementsWrites() {
    return cloudElements.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("GET "))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
