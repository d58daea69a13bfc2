package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one benchmark run, as lines for people and as a JSON tree. */
public final class BenchResult {

  static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");
  static final List<String> WRITE_VERBS = List.of("create", "update", "patch", "delete");
  static final List<String> OPERATIONS = List.of("POST /instances", "GET /instances?tags[]", "GET /instances/{id}",
      "PATCH /instances/{id}", "PUT /instances/{id}", "DELETE /instances/{id}");

  BenchOptions options;
  Duration resyncInterval;

  int ready;
  boolean allReady;
  Duration creationWall = Duration.ZERO;
  Duration lowerBound = Duration.ZERO;
  Percentiles applyToReady = Percentiles.of(List.of());
  Percentiles applyToLookup = Percentiles.of(List.of());
  Percentiles lookupToCreated = Percentiles.of(List.of());
  Percentiles createdToReady = Percentiles.of(List.of());
  double upstreamUtilization = Double.NaN;
  double cpuShareProcess = Double.NaN;
  double cpuShareOthers = Double.NaN;
  double cpuShareOperatorProcess = Double.NaN;
  long benchProcessRss = -1;
  long operatorPid = -1;
  /** The resources that took longest from apply to Ready: when they were applied, and how long they took. */
  record Slow(String name, Duration appliedAfter, Duration applyToReady, String path) {
  }

  /** Instances whose resync GETs were not one per interval: when they came, relative to Ready. */
  final List<String> getAnomalies = new ArrayList<>();

  final List<Slow> slowest = new ArrayList<>();

  /** Per second of the creation: applied, Cloud Elements calls, Ready. */
  List<int[]> timeline = List.of();

  Map<String, Long> cloudElementsCreation = new TreeMap<>();
  long cloudElementsFailedCreation;
  long postsTotal;
  long postsCreated;
  int remoteInstances;
  int duplicates;
  Map<String, Long> kubernetesCreation = new TreeMap<>();

  Duration steadyDuration = Duration.ZERO;
  Map<String, Long> kubernetesSteady = new TreeMap<>();
  Map<String, Long> cloudElementsSteady = new TreeMap<>();
  /** With faults: the calls between all Ready and the start of the steady state, and how long that took. */
  Map<String, Long> cloudElementsSettling = new TreeMap<>();
  Duration settling;
  int getsMin;
  int getsMax;
  long getsTotal;

  long peakHeapAfterGc;
  long liveHeapAtReady;
  long liveHeapWithoutOperator = -1;
  long rssAtReady;
  long peakRss;

  Duration jvmToStackStarted = Duration.ZERO;
  Duration jvmToOperatorStarted = Duration.ZERO;
  Duration jvmToFirstReconcile;
  Duration firstResourceApplyToReady;
  int warmupReady;
  Duration warmupWall;

  BenchResult() {
  }

  public BenchOptions options() {
    return options;
  }

  public long postsTotal() {
    return postsTotal;
  }

  public long postsCreated() {
    return postsCreated;
  }

  public int duplicates() {
    return duplicates;
  }

  public long steadyKubernetesWrites() {
    return WRITE_VERBS.stream().mapToLong(v -> kubernetesSteady.getOrDefault(v, 0L)).sum();
  }

  public long steadyCloudElementsWrites() {
    return cloudElementsSteady.entrySet().stream().filter(e -> !e.getKey().startsWith("GET "))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** GET /instances/{id} per instance per resync interval, over the steady state; 1 when all is right. */
  public double getsPerInstancePerResync() {
    int resyncs = options.resyncs();
    return resyncs == 0 || ready == 0 ? 0 : (double) getsTotal / ((long) ready * resyncs);
  }

  public int getsMin() {
    return getsMin;
  }

  public int getsMax() {
    return getsMax;
  }

  public Duration creationWall() {
    return creationWall;
  }

  public Duration lowerBound() {
    return lowerBound;
  }

  public Percentiles applyToReady() {
    return applyToReady;
  }

  public long rssAtReady() {
    return rssAtReady;
  }

  public long liveHeapAtReady() {
    return liveHeapAtReady;
  }

  public Duration jvmToFirstReconcile() {
    return jvmToFirstReconcile;
  }

  /** Ratio of the wall time to the lower bound; NaN when the lower bound is zero (no latency). */
  public double ratio() {
    return lowerBound.isZero() ? Double.NaN : (double) creationWall.toNanos() / lowerBound.toNanos();
  }

  /** The correctness figures that are wrong; empty when all are right. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    int n = options.instances();
    if (!allReady) {
      failures.add("only " + ready + " of " + n + " resources became Ready");
    }
    if (postsCreated != n || options.faultRate() == 0 && postsTotal != n) {
      failures.add("POST /instances: " + postsTotal + " requests, " + postsCreated + " created; expected exactly " + n);
    }
    if (duplicates != 0) {
      failures.add(duplicates + " duplicate instances (sharing an ownership tag)");
    }
    if (steadyKubernetesWrites() != 0) {
      failures.add(steadyKubernetesWrites() + " Kubernetes writes in the steady state; expected 0");
    }
    if (steadyCloudElementsWrites() != 0) {
      failures.add(steadyCloudElementsWrites() + " Cloud Elements writes in the steady state; expected 0");
    }
    int resyncs = options.resyncs();
    if (resyncs > 0 && allReady && (getsMin != resyncs || getsMax != resyncs)) {
      failures.add("GET /instances/{id} per instance over " + resyncs + " resync intervals: min " + getsMin
          + ", max " + getsMax + "; expected exactly " + resyncs + " (one per interval)");
    }
    return failures;
  }

  /** One line per figure. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    int n = options.instances();
    lines.add(line("instances", n + " (latency " + ms(options.latency()) + ", concurrency " + options.concurrency()
        + ", reconcile threads " + options.effectiveReconcileThreads() + ", fault rate " + options.faultRate() + ", " + options.resyncs() + " resyncs every "
        + seconds(resyncInterval) + (options.applyRate() > 0 ? ", applied at " + options.applyRate() + "/s"
        : ", applied at once") + ")"));
    String ratio = lowerBound.isZero() ? "n/a (no latency)" : String.format(Locale.ROOT, "%.2f", ratio());
    lines.add(line("wall time until all Ready", seconds(creationWall) + " for " + ready + "/" + n
        + "; lower bound N x (L_lookup + L_post) / C = " + seconds(lowerBound) + "; ratio " + ratio
        + (Double.isNaN(upstreamUtilization) ? "" : String.format(Locale.ROOT,
        "; Cloud Elements slots busy %.0f%%", 100 * upstreamUtilization))));
    lines.add(line("apply->Ready latency", "p50 " + ms(applyToReady.percentile(50)) + ", p90 "
        + ms(applyToReady.percentile(90)) + ", p99 " + ms(applyToReady.percentile(99)) + ", max "
        + ms(applyToReady.max()) + " (lower bound 2 x L = " + ms(options.latency().multipliedBy(2))
        + " plus the API-server writes)"));
    lines.add(line("CPU during the creation", Double.isNaN(cpuShareProcess) ? "unknown"
        : !Double.isNaN(cpuShareOperatorProcess) ? String.format(Locale.ROOT,
        "operator process %.0f%%, this process (mock API server, simulator, bench) %.0f%%, other processes %.0f%% "
            + "of %d cores", 100 * cpuShareOperatorProcess, 100 * cpuShareProcess, 100 * cpuShareOthers,
        Runtime.getRuntime().availableProcessors())
        : String.format(Locale.ROOT, "this process %.0f%%, other processes %.0f%% of %d cores", 100 * cpuShareProcess,
        100 * cpuShareOthers, Runtime.getRuntime().availableProcessors())));
    lines.add(line("per-resource path, p50 / p99", "apply->lookup " + ms(applyToLookup.percentile(50)) + " / "
        + ms(applyToLookup.percentile(99)) + "; lookup->created " + ms(lookupToCreated.percentile(50)) + " / "
        + ms(lookupToCreated.percentile(99)) + " (2 x L = " + ms(options.latency().multipliedBy(2))
        + "); created->Ready " + ms(createdToReady.percentile(50)) + " / " + ms(createdToReady.percentile(99))
        + " (Secret, Event, status patch)"));
    lines.add(line("Cloud Elements calls, creation", operations(cloudElementsCreation) + "; POST created "
        + postsCreated + " (expected " + n + "); failed " + cloudElementsFailedCreation));
    lines.add(line("duplicate instances", duplicates + " (" + remoteInstances + " remote instances for " + n
        + " resources)"));
    lines.add(line("API-server requests, creation", verbs(kubernetesCreation) + " (the operator's; without the "
        + n + " creates of the resources)"));
    if (settling != null) {
      lines.add(line("settling after the faults", seconds(settling) + " until held requests were answered, all "
          + "were Ready again and the API server had no write for 2 s; Cloud Elements calls meanwhile: "
          + operations(cloudElementsSettling)));
    }
    lines.add(line("API-server requests, steady", verbs(kubernetesSteady) + "; writes " + steadyKubernetesWrites()
        + " (expected 0) over " + seconds(steadyDuration)));
    lines.add(line("Cloud Elements calls, steady", operations(cloudElementsSteady) + "; writes "
        + steadyCloudElementsWrites() + " (expected 0)"));
    lines.add(line("GETs per instance per resync", options.resyncs() == 0 ? "n/a (--resyncs 0)"
        : String.format(Locale.ROOT, "%.2f (expected 1; each instance: min %d, max %d GETs in %d intervals)",
            getsPerInstancePerResync(), getsMin, getsMax, options.resyncs())));
    boolean separate = options.separateProcess();
    if (separate) {
      lines.add(line("heap after GC", "live heap of the operator process at " + ready + " Ready " + mib(liveHeapAtReady)
          + " (jcmd GC.run, GC.heap_info)"));
      lines.add(line("process RSS", "operator process " + mib(rssAtReady) + " at " + ready + " Ready; peak "
          + mib(peakRss) + " (the bench process, with the mock API server and the simulator: "
          + mib(benchProcessRss) + ")"));
      lines.add(line("start to first reconcile", jvmToFirstReconcile == null ? "no reconcile seen"
          : seconds(jvmToFirstReconcile) + " (operator process start -> first finalizer patch; its first resource "
          + "Ready after " + seconds(jvmToOperatorStarted) + ")"));
    } else {
      String withoutOperator = liveHeapWithoutOperator < 0 ? "" : "; of that the operator "
          + mib(liveHeapAtReady - liveHeapWithoutOperator) + ", the mock API server, simulator and bench "
          + mib(liveHeapWithoutOperator);
      lines.add(line("heap after GC", "peak " + mib(peakHeapAfterGc) + "; live at " + ready + " Ready "
          + mib(liveHeapAtReady) + withoutOperator + " (max heap " + mib(Runtime.getRuntime().maxMemory()) + ")"));
      lines.add(line("process RSS", mib(rssAtReady) + " at " + ready + " Ready; peak " + mib(peakRss)
          + " (whole process: mock API server, simulator and operator)"));
      lines.add(line("start to first reconcile", jvmToFirstReconcile == null ? "no reconcile seen"
          : seconds(jvmToFirstReconcile) + " (JVM start -> mock API server and simulator up "
          + seconds(jvmToStackStarted) + " -> operator started " + seconds(jvmToOperatorStarted)
          + " -> first finalizer patch " + seconds(jvmToFirstReconcile) + "); the first resource took "
          + (firstResourceApplyToReady == null ? "?" : ms(firstResourceApplyToReady)) + " from apply to Ready"));
    }
    List<String> failures = failures();
    lines.add(line("JVM", jvm()));
    lines.add(line("correctness", failures.isEmpty() ? "OK" : "FAILED: " + String.join("; ", failures)));
    return lines;
  }

  /** The figures as a JSON-ready tree of maps, lists, numbers and strings; durations in milliseconds. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("instances", options.instances());
    opts.put("latencyMs", millis(options.latency()));
    opts.put("concurrency", options.concurrency());
    opts.put("reconcileThreads", options.effectiveReconcileThreads());
    opts.put("faultRate", options.faultRate());
    opts.put("seed", options.seed());
    opts.put("resyncs", options.resyncs());
    opts.put("resyncIntervalMs", millis(resyncInterval));
    opts.put("applyRatePerSecond", options.applyRate());
    opts.put("warmup", options.warmup());
    opts.put("separateProcess", options.separateProcess());
    json.put("options", opts);

    Map<String, Object> creation = new LinkedHashMap<>();
    creation.put("ready", ready);
    creation.put("wallMs", millis(creationWall));
    creation.put("lowerBoundMs", millis(lowerBound));
    creation.put("ratio", lowerBound.isZero() ? null : ratio());
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50Ms", millis(applyToReady.percentile(50)));
    latency.put("p90Ms", millis(applyToReady.percentile(90)));
    latency.put("p99Ms", millis(applyToReady.percentile(99)));
    latency.put("maxMs", millis(applyToReady.max()));
    creation.put("applyToReady", latency);
    creation.put("applyToLookup", percentiles(applyToLookup));
    creation.put("lookupToCreated", percentiles(lookupToCreated));
    creation.put("createdToReady", percentiles(createdToReady));
    creation.put("cloudElementsSlotsBusy", Double.isNaN(upstreamUtilization) ? null : upstreamUtilization);
    creation.put("cpuShareProcess", Double.isNaN(cpuShareProcess) ? null : cpuShareProcess);
    creation.put("cpuShareOtherProcesses", Double.isNaN(cpuShareOthers) ? null : cpuShareOthers);
    creation.put("cpuShareOperatorProcess", Double.isNaN(cpuShareOperatorProcess) ? null : cpuShareOperatorProcess);
    creation.put("cloudElements", new LinkedHashMap<>(cloudElementsCreation));
    creation.put("postsTotal", postsTotal);
    creation.put("postsCreated", postsCreated);
    creation.put("cloudElementsFailed", cloudElementsFailedCreation);
    creation.put("remoteInstances", remoteInstances);
    creation.put("duplicates", duplicates);
    creation.put("kubernetes", new LinkedHashMap<>(kubernetesCreation));
    List<Map<String, Object>> slow = new ArrayList<>();
    for (Slow s : slowest) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", s.name());
      entry.put("appliedAfterMs", millis(s.appliedAfter()));
      entry.put("applyToReadyMs", millis(s.applyToReady()));
      entry.put("applyToLookupPlusLookupToCreatedPlusCreatedToReady", s.path());
      slow.add(entry);
    }
    creation.put("slowest", slow);
    if (timeline.size() == 3) {
      Map<String, Object> perSecond = new LinkedHashMap<>();
      perSecond.put("applied", timeline.get(0));
      perSecond.put("cloudElementsCalls", timeline.get(1));
      perSecond.put("ready", timeline.get(2));
      creation.put("perSecond", perSecond);
    }
    json.put("creation", creation);

    Map<String, Object> steady = new LinkedHashMap<>();
    steady.put("durationMs", millis(steadyDuration));
    steady.put("settlingMs", settling == null ? null : millis(settling));
    steady.put("cloudElementsSettling", new LinkedHashMap<>(cloudElementsSettling));
    steady.put("kubernetes", new LinkedHashMap<>(kubernetesSteady));
    steady.put("kubernetesWrites", steadyKubernetesWrites());
    steady.put("cloudElements", new LinkedHashMap<>(cloudElementsSteady));
    steady.put("cloudElementsWrites", steadyCloudElementsWrites());
    steady.put("getsPerInstancePerResync", getsPerInstancePerResync());
    steady.put("getsPerInstanceMin", getsMin);
    steady.put("getsPerInstanceMax", getsMax);
    steady.put("getAnomalies", getAnomalies);
    json.put("steady", steady);

    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("peakHeapAfterGcBytes", peakHeapAfterGc);
    memory.put("liveHeapAtReadyBytes", liveHeapAtReady);
    memory.put("liveHeapWithoutOperatorBytes", liveHeapWithoutOperator);
    memory.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    memory.put("rssAtReadyBytes", rssAtReady);
    memory.put("peakRssBytes", peakRss);
    memory.put("of", options.separateProcess() ? "the operator process" : "the whole bench process");
    memory.put("benchProcessRssBytes", benchProcessRss);
    json.put("memory", memory);

    Map<String, Object> startup = new LinkedHashMap<>();
    startup.put("from", options.separateProcess() ? "operator process start" : "JVM start");
    startup.put("jvmToStackStartedMs", options.separateProcess() ? null : millis(jvmToStackStarted));
    startup.put(options.separateProcess() ? "toFirstResourceReadyMs" : "jvmToOperatorStartedMs",
        millis(jvmToOperatorStarted));
    startup.put("jvmToFirstReconcileMs", jvmToFirstReconcile == null ? null : millis(jvmToFirstReconcile));
    startup.put("firstResourceApplyToReadyMs", firstResourceApplyToReady == null ? null
        : millis(firstResourceApplyToReady));
    startup.put("warmupReady", warmupReady);
    startup.put("warmupWallMs", warmupWall == null ? null : millis(warmupWall));
    json.put("startup", startup);

    json.put("jvm", jvm());
    json.put("failures", failures());
    json.put("correct", failures().isEmpty());
    return json;
  }

  /** The JVM, its flags, its collector and its processors, as the figures depend on them. */
  static String jvm() {
    var runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
    String gcs = String.join("+", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
    return "Java " + runtime.getSpecVersion() + " (" + runtime.getVmVersion() + "), " + Runtime.getRuntime()
        .availableProcessors() + " processors, common pool parallelism "
        + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + ", collectors " + gcs + ", flags "
        + (runtime.getInputArguments().isEmpty() ? "none" : String.join(" ", runtime.getInputArguments()));
  }

  private static Map<String, Object> percentiles(Percentiles p) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("p50Ms", millis(p.percentile(50)));
    json.put("p90Ms", millis(p.percentile(90)));
    json.put("p99Ms", millis(p.percentile(99)));
    json.put("maxMs", millis(p.max()));
    return json;
  }

  private static String line(String figure, String value) {
    return String.format(Locale.ROOT, "%-32s %s", figure, value);
  }

  private static String verbs(Map<String, Long> counts) {
    StringBuilder text = new StringBuilder();
    for (String verb : VERBS) {
      text.append(text.length() == 0 ? "" : ", ").append(verb).append(' ').append(counts.getOrDefault(verb, 0L));
    }
    counts.forEach((verb, count) -> {
      if (!VERBS.contains(verb)) {
        text.append(", ").append(verb).append(' ').append(count);
      }
    });
    return text.toString();
  }

  private static String operations(Map<String, Long> counts) {
    StringBuilder text = new StringBuilder();
    for (String op : OPERATIONS) {
      text.append(text.length() == 0 ? "" : ", ").append(op).append(' ').append(counts.getOrDefault(op, 0L));
    }
    counts.forEach((op, count) -> {
      if (!OPERATIONS.contains(op)) {
        text.append(", ").append(op).append(' ').append(count);
      }
    });
    return text.toString();
  }

  static String seconds(Duration d) {
    return d == null ? "?" : String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static double millis(Duration d) {
    return d == null ? 0 : Math.round(d.toNanos() / 1e3) / 1e3;
  }
}
