package io.cloudelements.operator.bench;

import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each resource's time went, from the simulator's log: apply → its first Cloud Elements call
 * arrives (queueing, the finalizer reconcile and the create intent; the call is the POST, or the
 * tag lookup when one is needed), first call → the instance is created (one round trip, two with a
 * lookup), created → Ready (the POST's answer, the Secret, the Event and the status patch, and the
 * watch that shows it).
 *
 * @param slowest the resources that took longest from apply to Ready
 */
record ResourcePaths(
    Percentiles applyToFirstCall,
    Percentiles firstCallToCreated,
    Percentiles createdToReady,
    List<Slow> slowest) {

  private static final int SLOWEST = 10;

  ResourcePaths {
    slowest = List.copyOf(slowest);
  }

  /**
   * One of the slowest resources.
   *
   * @param appliedAfter when it was applied, after the creation started
   * @param path "apply->first call + first call->created + created->Ready ms"; null when a step is
   *     missing from the log
   */
  record Slow(String name, Duration appliedAfter, Duration applyToReady, String path) {}

  static ResourcePaths of(
      Instant creationStart,
      Map<String, Instant> applied,
      Map<String, ReadyWatch.Ready> ready,
      List<RecordedRequest> requests,
      List<SimulatedInstance> instances) {
    Map<String, Instant> lookups = firstCallByTag(requests);
    Map<String, Instant> created = new HashMap<>();
    for (SimulatedInstance instance : instances) {
      instance.tags().stream()
          .filter(t -> t.startsWith(OwnershipTag.PREFIX))
          .forEach(t -> created.putIfAbsent(t, instance.createdDate()));
    }
    List<Duration> toLookup = new ArrayList<>();
    List<Duration> toCreated = new ArrayList<>();
    List<Duration> toReady = new ArrayList<>();
    Map<String, String> paths = new HashMap<>();
    ready.forEach(
        (name, r) -> {
          String tag = OwnershipTag.PREFIX + r.uid();
          Instant apply = applied.get(name);
          Instant lookup = lookups.get(tag);
          Instant made = created.get(tag);
          if (apply != null && lookup != null && made != null) {
            toLookup.add(Duration.between(apply, lookup));
            toCreated.add(Duration.between(lookup, made));
            toReady.add(Duration.between(made, r.at()));
            paths.put(
                name,
                Duration.between(apply, lookup).toMillis()
                    + " + "
                    + Duration.between(lookup, made).toMillis()
                    + " + "
                    + Duration.between(made, r.at()).toMillis()
                    + " ms");
          }
        });
    List<Slow> slowest =
        ready.entrySet().stream()
            .map(
                e ->
                    new Slow(
                        e.getKey(),
                        Duration.between(creationStart, applied.get(e.getKey())),
                        Duration.between(applied.get(e.getKey()), e.getValue().at()),
                        paths.get(e.getKey())))
            .sorted(Comparator.comparing(Slow::applyToReady).reversed())
            .limit(SLOWEST)
            .toList();
    return new ResourcePaths(
        Percentiles.of(toLookup), Percentiles.of(toCreated), Percentiles.of(toReady), slowest);
  }

  /** The first lookup or POST of each ownership tag (the simulator logs the tags of both). */
  private static Map<String, Instant> firstCallByTag(List<RecordedRequest> requests) {
    Map<String, Instant> first = new HashMap<>();
    for (RecordedRequest request : requests) {
      if (request.path().equals("/instances")
          && (request.method().equals("GET") || request.method().equals("POST"))) {
        request.tags().stream()
            .filter(t -> t.startsWith(OwnershipTag.PREFIX))
            .forEach(t -> first.putIfAbsent(t, request.at()));
      }
    }
    return first;
  }

  /**
   * Per second of the creation: resources applied, Cloud Elements calls that arrived, resources
   * that became Ready.
   */
  static List<int[]> timeline(
      Instant start,
      Map<String, Instant> applied,
      Map<String, ReadyWatch.Ready> ready,
      List<RecordedRequest> requests) {
    int seconds =
        (int)
            Math.max(
                1,
                Duration.between(
                            start,
                            ready.values().stream()
                                .map(ReadyWatch.Ready::at)
                                .max(Instant::compareTo)
                                .orElse(start))
                        .toSeconds()
                    + 1);
    int[] applies = new int[seconds];
    int[] calls = new int[seconds];
    int[] readies = new int[seconds];
    applied.values().forEach(at -> bucket(applies, start, at));
    requests.forEach(r -> bucket(calls, start, r.at()));
    ready.values().forEach(r -> bucket(readies, start, r.at()));
    return List.of(applies, calls, readies);
  }

  private static void bucket(int[] counts, Instant start, Instant at) {
    long second = Duration.between(start, at).toSeconds();
    if (second >= 0 && second < counts.length) {
      counts[(int) second]++;
    }
  }
}
