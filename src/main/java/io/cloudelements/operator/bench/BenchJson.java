package io.cloudelements.operator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a {@link BenchResult} as a JSON-ready tree; durations in milliseconds, unknown
 * figures null.
 */
final class BenchJson {

  private BenchJson() {}

  static Map<String, Object> of(BenchResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("options", options(r));
    json.put("creation", creation(r));
    json.put("steady", steady(r));
    json.put("memory", memory(r));
    json.put("startup", startup(r));
    json.put("jvm", BenchReport.jvm());
    json.put("failures", r.failures());
    json.put("correct", r.failures().isEmpty());
    return json;
  }

  private static Map<String, Object> options(BenchResult r) {
    BenchOptions options = r.options();
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("instances", options.instances());
    opts.put("latencyMs", millis(options.latency()));
    opts.put("concurrency", options.concurrency());
    opts.put("reconcileThreads", options.effectiveReconcileThreads());
    opts.put("faultRate", options.faultRate());
    opts.put("seed", options.seed());
    opts.put("resyncs", options.resyncs());
    opts.put("resyncIntervalMs", millis(r.resyncInterval()));
    opts.put("applyRatePerSecond", options.applyRate());
    opts.put("warmup", options.warmup());
    opts.put("separateProcess", options.separateProcess());
    opts.put("apiServerLatencyMs", millis(options.apiServer().latency()));
    opts.put("apiServerJitterMs", millis(options.apiServer().jitter()));
    opts.put("apiServerTls", options.apiServer().tls());
    return opts;
  }

  private static Map<String, Object> creation(BenchResult r) {
    CreationPhase c = r.creation();
    Map<String, Object> creation = new LinkedHashMap<>();
    creation.put("ready", c.ready());
    creation.put("wallMs", millis(c.wall()));
    creation.put("lowerBoundMs", millis(r.lowerBound()));
    creation.put("ratio", r.lowerBound().isZero() ? null : r.ratio());
    creation.put("applyToReady", percentiles(c.applyToReady()));
    creation.put("applyToFirstCall", percentiles(c.paths().applyToFirstCall()));
    creation.put("firstCallToCreated", percentiles(c.paths().firstCallToCreated()));
    creation.put("createdToReady", percentiles(c.paths().createdToReady()));
    creation.put("cloudElementsSlotsBusy", number(c.upstreamUtilization()));
    creation.put("cpuShareProcess", number(c.cpu().process()));
    creation.put("cpuShareOtherProcesses", number(c.cpu().others()));
    creation.put("cpuShareOperatorProcess", number(c.cpu().operatorProcess()));
    creation.put("cloudElements", new LinkedHashMap<>(c.cloudElements()));
    creation.put("tagLookups", c.cloudElements().getOrDefault("GET /instances?tags[]", 0L));
    creation.put("postsTotal", c.postsTotal());
    creation.put("postsCreated", c.postsCreated());
    creation.put("cloudElementsFailed", c.cloudElementsFailed());
    creation.put("remoteInstances", c.remoteInstances());
    creation.put("duplicates", c.duplicates());
    creation.put("kubernetes", new LinkedHashMap<>(c.kubernetes()));
    creation.put("apiServerWritesPerCreate", number(r.apiServerWritesPerCreate()));
    creation.put("apiServerTimes", times(c.apiServer()));
    creation.put("operatorCpuMs", c.operatorCpuNanos() < 0 ? null : c.operatorCpuNanos() / 1e6);
    creation.put(
        "operatorCpuPerCreateMs", c.cpuPerCreate() == null ? null : millis(c.cpuPerCreate()));
    List<Map<String, Object>> slow = new ArrayList<>();
    for (ResourcePaths.Slow s : c.paths().slowest()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", s.name());
      entry.put("appliedAfterMs", millis(s.appliedAfter()));
      entry.put("applyToReadyMs", millis(s.applyToReady()));
      entry.put("applyToFirstCallPlusFirstCallToCreatedPlusCreatedToReady", s.path());
      slow.add(entry);
    }
    creation.put("slowest", slow);
    if (c.timeline().size() == 3) {
      Map<String, Object> perSecond = new LinkedHashMap<>();
      perSecond.put("applied", c.timeline().get(0));
      perSecond.put("cloudElementsCalls", c.timeline().get(1));
      perSecond.put("ready", c.timeline().get(2));
      creation.put("perSecond", perSecond);
    }
    return creation;
  }

  private static Map<String, Object> steady(BenchResult r) {
    SteadyPhase s = r.steady();
    Map<String, Object> steady = new LinkedHashMap<>();
    steady.put("durationMs", millis(s.duration()));
    steady.put("settlingMs", s.settling() == null ? null : millis(s.settling()));
    steady.put("cloudElementsSettling", new LinkedHashMap<>(s.cloudElementsSettling()));
    steady.put("kubernetes", new LinkedHashMap<>(s.kubernetes()));
    steady.put("kubernetesWrites", s.kubernetesWrites());
    steady.put("cloudElements", new LinkedHashMap<>(s.cloudElements()));
    steady.put("cloudElementsWrites", s.cloudElementsWrites());
    steady.put("getsPerInstancePerResync", r.getsPerInstancePerResync());
    steady.put("getsPerInstanceMin", s.getsMin());
    steady.put("getsPerInstanceMax", s.getsMax());
    steady.put("getAnomalies", s.getAnomalies());
    steady.put("apiServerTimes", times(s.apiServer()));
    steady.put("operatorCpuMs", s.operatorCpuNanos() < 0 ? null : s.operatorCpuNanos() / 1e6);
    steady.put(
        "operatorCpuPerResyncMs", s.cpuPerResync() == null ? null : millis(s.cpuPerResync()));
    steady.put(
        "operatorCpuOf",
        r.options().separateProcess() ? "the operator process" : "the whole bench process");
    return steady;
  }

  private static Map<String, Object> memory(BenchResult r) {
    MemoryFigures m = r.memory();
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("peakHeapAfterGcBytes", m.peakHeapAfterGc());
    memory.put("liveHeapAtReadyBytes", m.liveHeapAtReady());
    memory.put("liveHeapWithoutOperatorBytes", m.liveHeapWithoutOperator());
    memory.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    memory.put("rssAtReadyBytes", m.rssAtReady());
    memory.put("peakRssBytes", m.peakRss());
    memory.put(
        "of", r.options().separateProcess() ? "the operator process" : "the whole bench process");
    memory.put("benchProcessRssBytes", m.benchProcessRss());
    return memory;
  }

  private static Map<String, Object> startup(BenchResult r) {
    StartupPhase s = r.startup();
    boolean separate = r.options().separateProcess();
    Map<String, Object> startup = new LinkedHashMap<>();
    startup.put("from", separate ? "operator process start" : "JVM start");
    startup.put("jvmToStackStartedMs", separate ? null : millis(s.jvmToStackStarted()));
    startup.put(
        separate ? "toFirstResourceReadyMs" : "jvmToOperatorStartedMs",
        millis(s.toOperatorStarted()));
    startup.put(
        "jvmToFirstReconcileMs",
        s.toFirstReconcile() == null ? null : millis(s.toFirstReconcile()));
    startup.put(
        "firstResourceApplyToReadyMs",
        s.firstResourceApplyToReady() == null ? null : millis(s.firstResourceApplyToReady()));
    startup.put("warmupReady", s.warmupReady());
    startup.put("warmupWallMs", s.warmupWall() == null ? null : millis(s.warmupWall()));
    return startup;
  }

  /** Per verb: requests and their mean time. */
  private static Map<String, Object> times(ApiServerTimes times) {
    Map<String, Object> json = new LinkedHashMap<>();
    times
        .counts()
        .forEach(
            (verb, count) -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("requests", count);
              entry.put("meanMs", millis(times.means().get(verb)));
              json.put(verb, entry);
            });
    return json;
  }

  private static Map<String, Object> percentiles(Percentiles p) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("p50Ms", millis(p.percentile(50)));
    json.put("p90Ms", millis(p.percentile(90)));
    json.put("p99Ms", millis(p.percentile(99)));
    json.put("maxMs", millis(p.max()));
    return json;
  }

  private static Double number(double value) {
    return Double.isNaN(value) ? null : value;
  }

  static double millis(Duration d) {
    return d == null ? 0 : Math.round(d.toNanos() / 1e3) / 1e3;
  }
}
