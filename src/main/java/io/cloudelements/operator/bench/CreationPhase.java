package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * From the first apply until all were Ready.
 *
 * @param ready resources that became Ready
 * @param allReady whether all did, within the creation timeout
 * @param wall from the first apply until the last Ready
 * @param applyToReady apply to Ready per resource
 * @param paths where each resource's time went
 * @param upstreamUtilization the share of the Cloud Elements slots that were busy; NaN without
 *     latency
 * @param cpu the share of the machine's CPU each party used
 * @param cloudElements Cloud Elements calls by operation
 * @param cloudElementsFailed calls that failed (other than the expected 404 of a tag lookup)
 * @param postsTotal POST /instances requests
 * @param postsCreated POST /instances that created an instance
 * @param remoteInstances instances in the simulator for the measured resources
 * @param duplicates instances more than one per ownership tag
 * @param kubernetes the operator's API-server requests by verb (the bench's own creates not
 *     counted)
 * @param timeline per second of the creation: applied, Cloud Elements calls, Ready
 * @param apiServer the operator's API-server requests, as its client timed them
 * @param operatorCpuNanos CPU time of the operator's process (the whole bench process in process);
 *     -1 if unknown
 */
record CreationPhase(
    int ready,
    boolean allReady,
    Duration wall,
    Percentiles applyToReady,
    ResourcePaths paths,
    double upstreamUtilization,
    CpuShares cpu,
    Map<String, Long> cloudElements,
    long cloudElementsFailed,
    long postsTotal,
    long postsCreated,
    int remoteInstances,
    int duplicates,
    Map<String, Long> kubernetes,
    List<int[]> timeline,
    ApiServerTimes apiServer,
    long operatorCpuNanos) {

  CreationPhase {
    cloudElements = Collections.unmodifiableMap(new TreeMap<>(cloudElements));
    kubernetes = Collections.unmodifiableMap(new TreeMap<>(kubernetes));
    timeline = timeline.stream().map(int[]::clone).toList();
  }

  /** The operator's process's CPU time per resource created; null when unknown. */
  Duration cpuPerCreate() {
    return operatorCpuNanos < 0 || ready == 0 ? null : Duration.ofNanos(operatorCpuNanos / ready);
  }

  /**
   * The share of the machine's CPU (all cores) during the creation; NaN where unknown.
   *
   * @param process the bench's process (with the operator, when it runs there)
   * @param operatorProcess the operator's own process, when it has one
   * @param others every other process
   */
  record CpuShares(double process, double operatorProcess, double others) {
    static final CpuShares UNKNOWN = new CpuShares(Double.NaN, Double.NaN, Double.NaN);
  }
}
