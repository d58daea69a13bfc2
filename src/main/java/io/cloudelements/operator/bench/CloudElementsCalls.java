package io.cloudelements.operator.bench;

import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cloud Elements calls of a run, from the simulator's log: by operation before and after all
 * were Ready, the POSTs, and per instance the GETs of its resyncs.
 *
 * @param creation calls by operation until all were Ready
 * @param settling with faults: calls between all Ready and the start of the steady state
 * @param steady calls by operation in the steady state
 * @param failedCreation calls of the creation that failed (other than the expected 404 of a tag
 *     lookup)
 * @param getsMin fewest resync GETs of one instance in its window
 * @param getsMax most resync GETs of one instance in its window
 * @param getsTotal resync GETs of all instances in their windows
 * @param getAnomalies the first instances whose GETs were not one per interval
 */
record CloudElementsCalls(
    Map<String, Long> creation,
    Map<String, Long> settling,
    Map<String, Long> steady,
    long postsTotal,
    long postsCreated,
    long failedCreation,
    int getsMin,
    int getsMax,
    long getsTotal,
    List<String> getAnomalies) {

  private static final Pattern INSTANCE_PATH = Pattern.compile("^/instances/([0-9]+)$");
  private static final int ANOMALIES = 10;

  /**
   * Counts the calls after {@code creationStart} (the warm-up's are not counted). Each instance's
   * resync GETs are counted in its own window: from its Ready to Ready + (resyncs + ½) × interval,
   * which holds exactly {@code resyncs} resyncs when each comes one interval after the previous
   * one. With faults, the creation leaves retries behind, so the window starts at the instance's
   * first GET after everything settled and holds that GET and the next resyncs - 1 intervals.
   */
  static CloudElementsCalls count(
      List<RecordedRequest> requests,
      Instant creationStart,
      Instant allReadyAt,
      Instant steadyStart,
      Map<String, ReadyWatch.Ready> ready,
      Duration interval,
      int resyncs,
      boolean faults) {
    Map<String, Long> creation = new TreeMap<>();
    Map<String, Long> settling = new TreeMap<>();
    Map<String, Long> steady = new TreeMap<>();
    long postsTotal = 0;
    long postsCreated = 0;
    long failed = 0;
    Map<Long, List<Instant>> getsById = new HashMap<>();
    for (RecordedRequest request : requests) {
      if (request.at().isBefore(creationStart)) {
        continue;
      }
      String operation = operation(request);
      boolean inCreation = !request.at().isAfter(allReadyAt);
      (inCreation ? creation : request.at().isAfter(steadyStart) ? steady : settling)
          .merge(operation, 1L, Long::sum);
      if (operation.equals("POST /instances")) {
        postsTotal++;
        if (request.status() / 100 == 2) {
          postsCreated++;
        }
      }
      boolean expectedNotFound =
          request.status() == 404 && operation.equals("GET /instances?tags[]");
      if (inCreation && request.status() / 100 != 2 && !expectedNotFound) {
        failed++;
      }
      Matcher id = INSTANCE_PATH.matcher(request.path());
      if (request.method().equals("GET") && id.matches()) {
        getsById
            .computeIfAbsent(Long.parseLong(id.group(1)), k -> new ArrayList<>())
            .add(request.at());
      }
    }
    Duration window =
        faults
            ? interval.multipliedBy(Math.max(0, resyncs - 1)).plus(interval.dividedBy(2))
            : interval.multipliedBy(resyncs).plus(interval.dividedBy(2));
    int min = Integer.MAX_VALUE;
    int max = 0;
    long total = 0;
    List<String> anomalies = new ArrayList<>();
    for (Map.Entry<String, ReadyWatch.Ready> e : ready.entrySet()) {
      ReadyWatch.Ready r = e.getValue();
      List<Instant> gets = getsById.getOrDefault(r.instanceId(), List.of());
      Instant from =
          !faults
              ? r.at()
              : gets.stream()
                  .filter(at -> at.isAfter(steadyStart))
                  .findFirst()
                  .map(at -> at.minusNanos(1))
                  .orElse(steadyStart);
      Instant to = from.plus(window);
      int count = (int) gets.stream().filter(at -> at.isAfter(from) && !at.isAfter(to)).count();
      min = Math.min(min, count);
      max = Math.max(max, count);
      total += count;
      if (count != resyncs && anomalies.size() < ANOMALIES) {
        anomalies.add(
            e.getKey()
                + ": GETs at "
                + gets.stream().map(at -> Duration.between(from, at).toMillis() + " ms").toList()
                + " after Ready");
      }
    }
    return new CloudElementsCalls(
        creation,
        settling,
        steady,
        postsTotal,
        postsCreated,
        failed,
        ready.isEmpty() ? 0 : min,
        max,
        total,
        anomalies);
  }

  /**
   * The GETs of single instances (of every resource: the warm-up's and the start-up's too) that
   * arrived between {@code from} and {@code to}.
   */
  static long instanceGets(List<RecordedRequest> requests, Instant from, Instant to) {
    return requests.stream()
        .filter(r -> r.method().equals("GET") && INSTANCE_PATH.matcher(r.path()).matches())
        .filter(r -> r.at().isAfter(from) && !r.at().isAfter(to))
        .count();
  }

  /** Instances sharing an ownership tag with another, beyond the first. */
  static int duplicates(List<SimulatedInstance> instances) {
    Map<String, Integer> byTag = new TreeMap<>();
    for (SimulatedInstance instance : instances) {
      instance.tags().stream()
          .filter(t -> t.startsWith(OwnershipTag.PREFIX))
          .forEach(t -> byTag.merge(t, 1, Integer::sum));
    }
    return byTag.values().stream().mapToInt(c -> c - 1).sum();
  }

  static String operation(RecordedRequest request) {
    String path = request.path();
    if (path.equals("/instances")) {
      return request.method().equals("GET")
          ? (request.query() != null && request.query().contains("tags")
              ? "GET /instances?tags[]"
              : "GET /instances")
          : request.method() + " /instances";
    }
    if (INSTANCE_PATH.matcher(path).matches()) {
      return request.method() + " /instances/{id}";
    }
    return request.method() + " " + path;
  }
}
