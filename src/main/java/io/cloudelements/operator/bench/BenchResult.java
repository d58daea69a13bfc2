package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark run, one record per phase; as lines for people ({@link #lines()})
 * and as a JSON tree ({@link #toJson()}).
 *
 * @param resyncInterval the operator's RESYNC_INTERVAL in this run
 */
public record BenchResult(
    BenchOptions options,
    Duration resyncInterval,
    StartupPhase startup,
    CreationPhase creation,
    SteadyPhase steady,
    MemoryFigures memory) {

  static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete");
  static final List<String> WRITE_VERBS = List.of("create", "update", "patch", "delete");
  static final List<String> OPERATIONS =
      List.of(
          "POST /instances",
          "GET /instances?tags[]",
          "GET /instances/{id}",
          "PATCH /instances/{id}",
          "PUT /instances/{id}",
          "DELETE /instances/{id}");

  /** The physical lower bound of the creation: N × L / C. */
  public Duration lowerBound() {
    return options.lowerBound();
  }

  /** Ratio of the wall time to the lower bound; NaN when the lower bound is zero (no latency). */
  public double ratio() {
    return lowerBound().isZero()
        ? Double.NaN
        : (double) creation.wall().toNanos() / lowerBound().toNanos();
  }

  /**
   * The operator's API-server writes (create, update, patch, delete) of the creation per resource
   * now Ready.
   */
  public double apiServerWritesPerCreate() {
    long writes =
        WRITE_VERBS.stream().mapToLong(v -> creation.kubernetes().getOrDefault(v, 0L)).sum();
    return creation.ready() == 0 ? 0 : (double) writes / creation.ready();
  }

  /**
   * GET /instances/{id} per instance per resync interval, over the steady state; 1 when all is
   * right.
   */
  public double getsPerInstancePerResync() {
    int resyncs = options.resyncs();
    return resyncs == 0 || creation.ready() == 0
        ? 0
        : (double) steady.getsTotal() / ((long) creation.ready() * resyncs);
  }

  /** The correctness figures that are wrong; empty when all are right. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    int n = options.instances();
    if (!creation.allReady()) {
      failures.add("only " + creation.ready() + " of " + n + " resources became Ready");
    }
    long posts = creation.postsTotal();
    if (creation.postsCreated() != n || options.faultRate() == 0 && posts != n) {
      failures.add(
          "POST /instances: "
              + posts
              + " requests, "
              + creation.postsCreated()
              + " created; expected exactly "
              + n);
    }
    long lookups = creation.cloudElements().getOrDefault("GET /instances?tags[]", 0L);
    if (options.faultRate() == 0 && lookups != 0) {
      failures.add(
          lookups
              + " tag lookups (GET /instances?tags[]) without any fault; expected 0 (one POST per "
              + "create)");
    }
    if (creation.duplicates() != 0) {
      failures.add(creation.duplicates() + " duplicate instances (sharing an ownership tag)");
    }
    if (steady.kubernetesWrites() != 0) {
      failures.add(
          steady.kubernetesWrites() + " Kubernetes writes in the steady state; expected 0");
    }
    if (steady.cloudElementsWrites() != 0) {
      failures.add(
          steady.cloudElementsWrites() + " Cloud Elements writes in the steady state; expected 0");
    }
    int resyncs = options.resyncs();
    if (resyncs > 0
        && creation.allReady()
        && (steady.getsMin() != resyncs || steady.getsMax() != resyncs)) {
      failures.add(
          "GET /instances/{id} per instance over "
              + resyncs
              + " resync intervals: min "
              + steady.getsMin()
              + ", max "
              + steady.getsMax()
              + "; expected exactly "
              + resyncs
              + " (one per interval)");
    }
    return failures;
  }

  /** One line per figure. */
  public List<String> lines() {
    return BenchReport.lines(this);
  }

  /**
   * The figures as a JSON-ready tree of maps, lists, numbers and strings; durations in
   * milliseconds.
   */
  public Map<String, Object> toJson() {
    return BenchJson.of(this);
  }
}
