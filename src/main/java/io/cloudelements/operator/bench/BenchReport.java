package io.cloudelements.operator.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** The figures of a {@link BenchResult} as lines for people, one per figure. */
final class BenchReport {

  private BenchReport() {}

  static List<String> lines(BenchResult r) {
    BenchOptions options = r.options();
    CreationPhase creation = r.creation();
    SteadyPhase steady = r.steady();
    ResourcePaths paths = creation.paths();
    List<String> lines = new ArrayList<>();
    int n = options.instances();
    lines.add(
        line(
            "instances",
            n
                + " (latency "
                + ms(options.latency())
                + ", concurrency "
                + options.concurrency()
                + ", reconcile threads "
                + options.effectiveReconcileThreads()
                + ", fault rate "
                + options.faultRate()
                + ", "
                + options.resyncs()
                + " resyncs every "
                + seconds(r.resyncInterval())
                + (options.applyRate() > 0
                    ? ", applied at " + options.applyRate() + "/s"
                    : ", applied at once")
                + "; API server "
                + apiServer(options)
                + ")"));
    String ratio =
        r.lowerBound().isZero()
            ? "n/a (no latency)"
            : String.format(Locale.ROOT, "%.2f", r.ratio());
    lines.add(
        line(
            "wall time until all Ready",
            seconds(creation.wall())
                + " for "
                + creation.ready()
                + "/"
                + n
                + "; lower bound N x L_post / C = "
                + seconds(r.lowerBound())
                + "; ratio "
                + ratio
                + (Double.isNaN(creation.upstreamUtilization())
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; Cloud Elements slots busy %.0f%%",
                        100 * creation.upstreamUtilization()))));
    Percentiles applyToReady = creation.applyToReady();
    lines.add(
        line(
            "apply->Ready latency",
            "p50 "
                + ms(applyToReady.percentile(50))
                + ", p90 "
                + ms(applyToReady.percentile(90))
                + ", p99 "
                + ms(applyToReady.percentile(99))
                + ", max "
                + ms(applyToReady.max())
                + " (lower bound L = "
                + ms(options.latency())
                + " plus the API-server writes)"));
    lines.add(line("CPU during the creation", cpu(creation.cpu())));
    lines.add(
        line(
            "per-resource path, p50 / p99",
            "apply->first call "
                + ms(paths.applyToFirstCall().percentile(50))
                + " / "
                + ms(paths.applyToFirstCall().percentile(99))
                + "; first call->created "
                + ms(paths.firstCallToCreated().percentile(50))
                + " / "
                + ms(paths.firstCallToCreated().percentile(99))
                + " (L = "
                + ms(options.latency())
                + " per call); created->Ready "
                + ms(paths.createdToReady().percentile(50))
                + " / "
                + ms(paths.createdToReady().percentile(99))
                + " (Secret, Event, status patch)"));
    lines.add(
        line(
            "Cloud Elements calls, creation",
            operations(creation.cloudElements())
                + "; POST created "
                + creation.postsCreated()
                + " (expected "
                + n
                + "); failed "
                + creation.cloudElementsFailed()));
    lines.add(
        line(
            "duplicate instances",
            creation.duplicates()
                + " ("
                + creation.remoteInstances()
                + " remote instances for "
                + n
                + " resources)"));
    lines.add(
        line(
            "API-server requests, creation",
            verbs(creation.kubernetes())
                + " (the operator's; without the "
                + n
                + " creates of the resources); writes per create "
                + String.format(Locale.ROOT, "%.2f", r.apiServerWritesPerCreate())));
    if (steady.settling() != null) {
      lines.add(
          line(
              "settling after the faults",
              seconds(steady.settling())
                  + " until held requests were answered, "
                  + "all were Ready again and the API server had no write for 2 s; Cloud Elements calls meanwhile: "
                  + operations(steady.cloudElementsSettling())));
    }
    lines.add(
        line(
            "API-server requests, steady",
            verbs(steady.kubernetes())
                + "; writes "
                + steady.kubernetesWrites()
                + " (expected 0) over "
                + seconds(steady.duration())));
    lines.add(
        line(
            "API-server time, creation",
            creation.apiServer().describe()
                + " (mean per request as the "
                + "operator's client saw it, send to response headers; watches not counted)"));
    lines.add(line("API-server time, steady", steady.apiServer().describe()));
    lines.add(
        line(
            "operator CPU",
            "per create "
                + msOrUnknown(creation.cpuPerCreate())
                + " (creation CPU / "
                + creation.ready()
                + " Ready), per resync "
                + msOrUnknown(steady.cpuPerResync())
                + " (steady-state CPU / "
                + steady.getsWhileCpuMeasured()
                + " resync GETs of all resources meanwhile); "
                + (options.separateProcess()
                    ? "the operator process alone, from /proc/<pid>/stat"
                    : "the whole bench process (mock API server, simulator, bench and operator), from OperatingSystemMXBean: "
                        + "an upper bound; use --separate-process for the operator's own")));
    lines.add(
        line(
            "Cloud Elements calls, steady",
            operations(steady.cloudElements())
                + "; writes "
                + steady.cloudElementsWrites()
                + " (expected 0)"));
    lines.add(
        line(
            "GETs per instance per resync",
            options.resyncs() == 0
                ? "n/a (--resyncs 0)"
                : String.format(
                    Locale.ROOT,
                    "%.2f (expected 1; each instance: min %d, max %d GETs in %d intervals)",
                    r.getsPerInstancePerResync(),
                    steady.getsMin(),
                    steady.getsMax(),
                    options.resyncs())));
    lines.addAll(options.separateProcess() ? separateProcess(r) : inProcess(r));
    List<String> failures = r.failures();
    lines.add(line("JVM", jvm()));
    lines.add(
        line("correctness", failures.isEmpty() ? "OK" : "FAILED: " + String.join("; ", failures)));
    return lines;
  }

  /** "plain HTTP, no latency" or "HTTPS, latency 30 ms +- 5 ms". */
  static String apiServer(BenchOptions options) {
    BenchOptions.ApiServer api = options.apiServer();
    return (api.tls() ? "HTTPS" : "plain HTTP")
        + (api.latency().isZero()
            ? ", no added latency"
            : ", added latency "
                + ms(api.latency())
                + (api.jitter().isZero() ? "" : " +- " + ms(api.jitter())));
  }

  private static String msOrUnknown(Duration d) {
    return d == null ? "unknown" : String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
  }

  private static String cpu(CreationPhase.CpuShares cpu) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (Double.isNaN(cpu.process())) {
      return "unknown";
    }
    if (!Double.isNaN(cpu.operatorProcess())) {
      return String.format(
          Locale.ROOT,
          "operator process %.0f%%, this process (mock API server, simulator, bench) "
              + "%.0f%%, other processes %.0f%% of %d cores",
          100 * cpu.operatorProcess(),
          100 * cpu.process(),
          100 * cpu.others(),
          cores);
    }
    return String.format(
        Locale.ROOT,
        "this process %.0f%%, other processes %.0f%% of %d cores",
        100 * cpu.process(),
        100 * cpu.others(),
        cores);
  }

  private static List<String> separateProcess(BenchResult r) {
    MemoryFigures memory = r.memory();
    StartupPhase startup = r.startup();
    int ready = r.creation().ready();
    return List.of(
        line(
            "heap after GC",
            "live heap of the operator process at "
                + ready
                + " Ready "
                + mib(memory.liveHeapAtReady())
                + " (jcmd GC.run, GC.heap_info)"),
        line(
            "process RSS",
            "operator process "
                + mib(memory.rssAtReady())
                + " at "
                + ready
                + " Ready; peak "
                + mib(memory.peakRss())
                + " (the bench process, with the mock API server and the simulator: "
                + mib(memory.benchProcessRss())
                + ")"),
        line(
            "start to first reconcile",
            startup.toFirstReconcile() == null
                ? "no reconcile seen"
                : seconds(startup.toFirstReconcile())
                    + " (operator process start -> first finalizer patch; its first "
                    + "resource Ready after "
                    + seconds(startup.toOperatorStarted())
                    + ")"));
  }

  private static List<String> inProcess(BenchResult r) {
    MemoryFigures memory = r.memory();
    StartupPhase startup = r.startup();
    int ready = r.creation().ready();
    String withoutOperator =
        memory.liveHeapWithoutOperator() < 0
            ? ""
            : "; of that the operator "
                + mib(memory.liveHeapAtReady() - memory.liveHeapWithoutOperator())
                + ", the mock API server, simulator and "
                + "bench "
                + mib(memory.liveHeapWithoutOperator());
    return List.of(
        line(
            "heap after GC",
            "peak "
                + mib(memory.peakHeapAfterGc())
                + "; live at "
                + ready
                + " Ready "
                + mib(memory.liveHeapAtReady())
                + withoutOperator
                + " (max heap "
                + mib(Runtime.getRuntime().maxMemory())
                + ")"),
        line(
            "process RSS",
            mib(memory.rssAtReady())
                + " at "
                + ready
                + " Ready; peak "
                + mib(memory.peakRss())
                + " (whole process: mock API server, simulator and operator)"),
        line(
            "start to first reconcile",
            startup.toFirstReconcile() == null
                ? "no reconcile seen"
                : seconds(startup.toFirstReconcile())
                    + " (JVM start -> mock API server and simulator up "
                    + seconds(startup.jvmToStackStarted())
                    + " -> operator started "
                    + seconds(startup.toOperatorStarted())
                    + " -> first finalizer patch "
                    + seconds(startup.toFirstReconcile())
                    + "); the first resource took "
                    + (startup.firstResourceApplyToReady() == null
                        ? "?"
                        : ms(startup.firstResourceApplyToReady()))
                    + " from apply to Ready"));
  }

  /** The JVM, its flags, its collector and its processors, as the figures depend on them. */
  static String jvm() {
    var runtime = ManagementFactory.getRuntimeMXBean();
    String gcs =
        String.join(
            "+",
            ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList());
    return "Java "
        + runtime.getSpecVersion()
        + " ("
        + runtime.getVmVersion()
        + "), "
        + Runtime.getRuntime().availableProcessors()
        + " processors, common pool parallelism "
        + ForkJoinPool.getCommonPoolParallelism()
        + ", collectors "
        + gcs
        + ", flags "
        + (runtime.getInputArguments().isEmpty()
            ? "none"
            : String.join(" ", runtime.getInputArguments()));
  }

  static String line(String figure, String value) {
    return String.format(Locale.ROOT, "%-32s %s", figure, value);
  }

  private static String verbs(Map<String, Long> counts) {
    return known(counts, BenchResult.VERBS);
  }

  private static String operations(Map<String, Long> counts) {
    return known(counts, BenchResult.OPERATIONS);
  }

  /** The known keys in their order (0 when absent), then the others. */
  private static String known(Map<String, Long> counts, List<String> order) {
    StringBuilder text = new StringBuilder();
    for (String key : order) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(key)
          .append(' ')
          .append(counts.getOrDefault(key, 0L));
    }
    new java.util.TreeMap<>(counts)
        .forEach(
            (key, count) -> {
              if (!order.contains(key)) {
                text.append(", ").append(key).append(' ').append(count);
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
}
