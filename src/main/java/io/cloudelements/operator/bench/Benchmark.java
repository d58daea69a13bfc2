package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark run: the embedded Kubernetes API (Fabric8 mock server) and the Cloud Elements simulator with the given
 * latency and faults in this process, and the operator with the given concurrency, in this process too or as a
 * process of its own. It creates N resources, waits until all are Ready, then lets the given number of drift resyncs
 * pass and counts every call. See docs/performance.md.
 */
public final class Benchmark {

  private static final int APPLY_THREADS = 4;
  private static final Pattern INSTANCE_PATH = Pattern.compile("^/instances/([0-9]+)$");

  private final BenchOptions options;
  private final PrintStream progress;

  /**
   * @param progress where the phases are announced while the run goes on (not the figures); null for nowhere
   */
  public Benchmark(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  public BenchResult run() throws InterruptedException {
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    BenchResult result = new BenchResult();
    result.options = options;
    result.lowerBound = options.lowerBound();
    Duration interval = options.effectiveResyncInterval();
    result.resyncInterval = interval;
    int n = options.instances();

    try (ProcessMemory memory = ProcessMemory.follow();
        EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
        CloudElementsSimulator simulator = CloudElementsSimulator.start(SimulatorOptions.defaults()
            .withSecrets(BenchResources.USER_SECRET, BenchResources.ORGANIZATION_SECRET)
            .withLatency(options.latency()))) {
      FirstPatch firstReconcile = new FirstPatch();
      kubernetes.dispatcher().intercept(firstReconcile);
      KubernetesClient admin = kubernetes.client();
      for (String namespace : List.of(BenchResources.NAMESPACE, BenchResources.WARMUP_NAMESPACE,
          BenchResources.STARTUP_NAMESPACE)) {
        for (Secret secret : BenchResources.inputSecrets(namespace)) {
          admin.resource(secret).create();
        }
      }
      result.jvmToStackStarted = Duration.between(jvmStart, Instant.now());

      try (ReadyWatch watch = ReadyWatch.start(admin, BenchResources.NAMESPACE, n)) {
        OperatorUnderTest operator = options.separateProcess()
            ? new SeparateOperator(new OperatorProcess(kubernetes, simulator, interval,
                options.effectiveReconcileThreads(), options.concurrency()))
            : new InProcessOperator(kubernetes, config(simulator, interval));
        try {
          if (options.separateProcess()) {
            startProcess(admin, (SeparateOperator) operator, firstReconcile, result);
          } else {
            operator.start();
            result.jvmToOperatorStarted = Duration.between(jvmStart, Instant.now());
          }
          simulator.setFaultRate(options.faultRate(), options.seed());
          if (options.warmup() > 0) {
            warmUp(admin, result);
          }

          // --- creation -------------------------------------------------------------------------------------------
          Map<String, Long> k8sAtStart = kubernetes.dispatcher().requestsByVerb();
          say("applying %d resources %s; the lower bound of the creation is %s", n, options.applyRate() > 0
              ? "at " + options.applyRate() + "/s" : "at once", BenchResult.seconds(options.lowerBound()));
          long processCpuAtStart = ProcessMemory.processCpuNanos();
          long operatorCpuAtStart = operator.cpuNanos();
          long machineCpuAtStart = ProcessMemory.machineCpuNanos();
          Instant creationStart = Instant.now();
          Map<String, Instant> applied = apply(admin, BenchResources.NAMESPACE, n, options.applyRate());
          Instant deadline = creationStart.plus(options.creationTimeout());
          result.allReady = watch.await(Duration.between(Instant.now(), deadline));
          Map<String, Long> k8sAtReady = kubernetes.dispatcher().requestsByVerb();
          long processCpu = ProcessMemory.processCpuNanos() - processCpuAtStart;
          long operatorCpu = operator.cpuNanos() - operatorCpuAtStart;
          long machineCpu = ProcessMemory.machineCpuNanos() - machineCpuAtStart;
          double available = (double) Duration.between(creationStart, Instant.now()).toNanos()
              * Runtime.getRuntime().availableProcessors();
          if (processCpuAtStart >= 0 && machineCpuAtStart >= 0 && available > 0) {
            result.cpuShareProcess = processCpu / available;
            long ours = processCpu;
            if (options.separateProcess() && operatorCpuAtStart >= 0) {
              result.cpuShareOperatorProcess = operatorCpu / available;
              ours += operatorCpu;
            }
            result.cpuShareOthers = Math.max(0, machineCpu - ours) / available;
          }
          Map<String, ReadyWatch.Ready> ready = watch.ready();
          result.ready = ready.size();
          Instant allReadyAt = ready.values().stream().map(ReadyWatch.Ready::at).max(Instant::compareTo)
              .orElse(Instant.now());
          if (!options.separateProcess()) {
            result.jvmToFirstReconcile = firstReconcile.at() == null ? null
                : Duration.between(jvmStart, firstReconcile.at());
          }
          if (result.firstResourceApplyToReady == null) {
            String first = BenchResources.name(0);
            result.firstResourceApplyToReady = ready.containsKey(first)
                ? Duration.between(applied.get(first), ready.get(first).at()) : null;
          }
          result.creationWall = Duration.between(creationStart, allReadyAt);
          List<Duration> latencies = new ArrayList<>();
          ready.forEach((name, r) -> latencies.add(Duration.between(applied.get(name), r.at())));
          result.applyToReady = Percentiles.of(latencies);
          ready.entrySet().stream()
              .sorted((a, b) -> Duration.between(applied.get(b.getKey()), b.getValue().at())
                  .compareTo(Duration.between(applied.get(a.getKey()), a.getValue().at())))
              .limit(10)
              .forEach(e -> result.slowest.add(new BenchResult.Slow(e.getKey(),
                  Duration.between(creationStart, applied.get(e.getKey())),
                  Duration.between(applied.get(e.getKey()), e.getValue().at()), null)));
          result.kubernetesCreation = difference(k8sAtReady, k8sAtStart);
          result.kubernetesCreation.merge("create", (long) -n, Long::sum);
          say("%d of %d Ready after %s", result.ready, n, BenchResult.seconds(result.creationWall));

          // --- steady state ---------------------------------------------------------------------------------------
          simulator.setFaultRate(0, options.seed());
          if (options.separateProcess()) {
            result.liveHeapAtReady = ProcessMemory.liveHeapOf(operator.pid());
            result.rssAtReady = ProcessMemory.rss(operator.pid());
            result.benchProcessRss = ProcessMemory.rss();
          } else {
            result.liveHeapAtReady = ProcessMemory.liveHeapAfterFullGc();
            result.rssAtReady = ProcessMemory.rss();
          }
          Instant steadyStart = allReadyAt;
          Map<String, Long> k8sAtSteadyStart = k8sAtReady;
          if (options.faultRate() > 0 && result.allReady) {
            say("faults off; waiting until the requests they held are answered and all are Ready again");
            steadyStart = settle(simulator, kubernetes, watch, n);
            k8sAtSteadyStart = kubernetes.dispatcher().requestsByVerb();
            result.settling = Duration.between(allReadyAt, steadyStart);
          }
          Instant steadyEnd = steadyStart;
          if (result.allReady) {
            Duration half = interval.dividedBy(2);
            steadyEnd = steadyStart.plus(interval.multipliedBy(options.resyncs())).plus(options.resyncs() > 0 ? half
                : half.compareTo(Duration.ofSeconds(2)) < 0 ? half : Duration.ofSeconds(2));
            say("steady state: %d resyncs every %s, until %s from now", options.resyncs(),
                BenchResult.seconds(interval), BenchResult.seconds(Duration.between(Instant.now(), steadyEnd)));
            sleepUntil(steadyEnd);
          }
          Map<String, Long> k8sAtEnd = kubernetes.dispatcher().requestsByVerb();
          result.kubernetesSteady = difference(k8sAtEnd, k8sAtSteadyStart);
          result.steadyDuration = Duration.between(steadyStart, Instant.now());
          List<RecordedRequest> requests = simulator.requests();
          List<SimulatedInstance> instances = simulator.instances();
          countCloudElements(result, requests, creationStart, allReadyAt, steadyStart, ready, interval);
          countRemoteInstances(result, instances);
          breakDown(result, applied, ready, requests, instances);
          timeline(result, creationStart, applied, ready, requests);
          if (options.separateProcess()) {
            result.peakRss = ProcessMemory.peakRss(operator.pid());
          }
        } finally {
          operator.stop();
        }
        if (!options.separateProcess()) {
          result.liveHeapWithoutOperator = ProcessMemory.liveHeapAfterFullGc();
        }
      }
      if (!options.separateProcess()) {
        result.peakHeapAfterGc = memory.peakHeapAfterGc();
        result.peakRss = ProcessMemory.peakRss();
      } else {
        result.peakHeapAfterGc = -1;
      }
    }
    return result;
  }

  /**
   * Starts the operator process with one resource already there, as after a restart or a deployment: its first
   * reconcile is part of its start-up. Returns once that resource is Ready.
   */
  private void startProcess(KubernetesClient admin, SeparateOperator operator, FirstPatch firstReconcile,
      BenchResult result) throws InterruptedException {
    admin.resources(CampaignMonitorInstance.class).inNamespace(BenchResources.STARTUP_NAMESPACE)
        .resource(BenchResources.resource(BenchResources.STARTUP_NAMESPACE, BenchResources.name(0))).create();
    try (ReadyWatch probe = ReadyWatch.start(admin, BenchResources.STARTUP_NAMESPACE, 1)) {
      say("starting the operator process");
      operator.start();
      boolean up = probe.await(Duration.ofSeconds(60));
      Instant started = operator.process.startedAt();
      if (!up) {
        throw new IllegalStateException("the operator process did not make its first resource Ready within 60 s"
            + (operator.process.alive() ? "" : " (it ended)") + "; its last lines:\n" + operator.process.outputTail());
      }
      result.jvmToFirstReconcile = firstReconcile.at() == null ? null
          : Duration.between(started, firstReconcile.at());
      result.jvmToOperatorStarted = Duration.between(started, probe.ready().values().iterator().next().at());
      result.operatorPid = operator.pid();
    }
  }

  private OperatorConfig config(CloudElementsSimulator simulator, Duration resyncInterval) {
    return new OperatorConfig(URI.create(simulator.baseUrl()), true, Set.of(), Duration.ofSeconds(10),
        Duration.ofMillis(500), Duration.ofSeconds(30), resyncInterval)
        .withMaxConcurrentReconciles(options.effectiveReconcileThreads())
        .withMaxConcurrentRequests(options.concurrency())
        .withTerminationTimeout(Duration.ofSeconds(5));
  }

  /**
   * A few resources in their own namespace, created and brought to Ready before the measured ones, so that the
   * figures of these show a warmed-up process (classes loaded, code compiled) rather than its first seconds.
   */
  private void warmUp(KubernetesClient admin, BenchResult result) throws InterruptedException {
    int w = options.warmup();
    say("warming up with %d resources in namespace %s", w, BenchResources.WARMUP_NAMESPACE);
    Instant start = Instant.now();
    try (ReadyWatch warm = ReadyWatch.start(admin, BenchResources.WARMUP_NAMESPACE, w)) {
      Map<String, Instant> applied = apply(admin, BenchResources.WARMUP_NAMESPACE, w, 0);
      boolean done = warm.await(Duration.ofSeconds(60).plus(options.latency().multipliedBy(2L * w)));
      Map<String, ReadyWatch.Ready> ready = warm.ready();
      result.warmupReady = ready.size();
      result.warmupWall = Duration.between(start, Instant.now());
      String first = BenchResources.name(0);
      if (ready.containsKey(first)) {
        result.firstResourceApplyToReady = Duration.between(applied.get(first), ready.get(first).at());
      }
      if (!done) {
        throw new IllegalStateException("the warm-up did not finish: " + ready.size() + " of " + w + " Ready");
      }
    }
  }

  /** Creates the resources from a few threads, at once or at the apply rate; returns when each create started. */
  private Map<String, Instant> apply(KubernetesClient client, String namespace, int n, double rate)
      throws InterruptedException {
    Map<String, Instant> applied = new ConcurrentHashMap<>();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(APPLY_THREADS, r -> {
      Thread t = new Thread(r, "bench-apply-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> creates = new ArrayList<>(n);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (rate > 0) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        String name = BenchResources.name(i);
        creates.add(pool.submit(() -> {
          applied.put(name, Instant.now());
          client.resources(CampaignMonitorInstance.class).inNamespace(namespace)
              .resource(BenchResources.resource(namespace, name)).create();
        }));
      }
      for (Future<?> create : creates) {
        try {
          create.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("Creating a resource failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return applied;
  }

  /**
   * Cloud Elements calls by operation, before and after all were Ready; and per instance, the GETs of its resync
   * in its own window: from its Ready to Ready + (resyncs + ½) × interval, which holds exactly {@code resyncs}
   * resyncs when each comes one interval after the previous one.
   */
  private void countCloudElements(BenchResult result, List<RecordedRequest> requests, Instant creationStart,
      Instant allReadyAt, Instant steadyStart, Map<String, ReadyWatch.Ready> ready, Duration interval) {
    Map<Long, List<Instant>> getsById = new HashMap<>();
    for (RecordedRequest request : requests) {
      if (request.at().isBefore(creationStart)) {
        continue; // the warm-up's
      }
      String operation = operation(request);
      boolean creation = !request.at().isAfter(allReadyAt);
      if (creation) {
        result.cloudElementsCreation.merge(operation, 1L, Long::sum);
      } else if (request.at().isAfter(steadyStart)) {
        result.cloudElementsSteady.merge(operation, 1L, Long::sum);
      } else {
        result.cloudElementsSettling.merge(operation, 1L, Long::sum);
      }
      if (operation.equals("POST /instances")) {
        result.postsTotal++;
        if (request.status() / 100 == 2) {
          result.postsCreated++;
        }
      }
      boolean expectedNotFound = request.status() == 404 && operation.equals("GET /instances?tags[]");
      if (creation && request.status() / 100 != 2 && !expectedNotFound) {
        result.cloudElementsFailedCreation++;
      }
      Matcher id = INSTANCE_PATH.matcher(request.path());
      if (request.method().equals("GET") && id.matches()) {
        getsById.computeIfAbsent(Long.parseLong(id.group(1)), k -> new ArrayList<>()).add(request.at());
      }
    }
    // Without faults, each instance's window starts at its Ready: a GET that anything but the resync caused right
    // after the creation shows. With faults, the creation leaves retries behind, so the window starts at the
    // instance's first GET after everything settled and holds that GET and the next resyncs - 1 intervals.
    boolean fromReady = options.faultRate() == 0;
    Duration window = fromReady ? interval.multipliedBy(options.resyncs()).plus(interval.dividedBy(2))
        : interval.multipliedBy(Math.max(0, options.resyncs() - 1)).plus(interval.dividedBy(2));
    int min = Integer.MAX_VALUE;
    int max = 0;
    long total = 0;
    for (Map.Entry<String, ReadyWatch.Ready> e : ready.entrySet()) {
      ReadyWatch.Ready r = e.getValue();
      List<Instant> gets = getsById.getOrDefault(r.instanceId(), List.of());
      Instant from = fromReady ? r.at() : gets.stream().filter(at -> at.isAfter(steadyStart)).findFirst()
          .map(at -> at.minusNanos(1)).orElse(steadyStart);
      Instant to = from.plus(window);
      int count = (int) gets.stream().filter(at -> at.isAfter(from) && !at.isAfter(to)).count();
      min = Math.min(min, count);
      max = Math.max(max, count);
      total += count;
      if (count != options.resyncs() && result.getAnomalies.size() < 10) {
        result.getAnomalies.add(e.getKey() + ": GETs at " + gets.stream()
            .map(at -> Duration.between(from, at).toMillis() + " ms").toList() + " after Ready");
      }
    }
    result.getsMin = ready.isEmpty() ? 0 : min;
    result.getsMax = max;
    result.getsTotal = total;
  }

  /**
   * Where each resource's time went, from the simulator's log: apply → its tag lookup arrives (queueing and the
   * finalizer reconcile), lookup → the instance is created (two Cloud Elements round trips), created → Ready (the
   * POST's answer, the Secret, the Event and the status patch, and the watch that shows it).
   */
  private void breakDown(BenchResult result, Map<String, Instant> applied, Map<String, ReadyWatch.Ready> ready,
      List<RecordedRequest> requests, List<SimulatedInstance> instances) {
    Map<String, Instant> lookups = new HashMap<>();
    for (RecordedRequest request : requests) {
      if (request.method().equals("GET") && request.path().equals("/instances") && request.query() != null) {
        for (String pair : request.query().split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("tags[]")) {
            lookups.putIfAbsent(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), request.at());
          }
        }
      }
    }
    Map<String, Instant> created = new HashMap<>();
    for (SimulatedInstance instance : instances) {
      instance.tags().stream().filter(t -> t.startsWith(OwnershipTag.PREFIX))
          .forEach(t -> created.putIfAbsent(t, instance.createdDate()));
    }
    List<Duration> toLookup = new ArrayList<>();
    List<Duration> toCreated = new ArrayList<>();
    List<Duration> toReady = new ArrayList<>();
    Map<String, String> paths = new HashMap<>();
    ready.forEach((name, r) -> {
      String tag = OwnershipTag.PREFIX + r.uid();
      Instant apply = applied.get(name);
      Instant lookup = lookups.get(tag);
      Instant made = created.get(tag);
      if (apply != null && lookup != null && made != null) {
        toLookup.add(Duration.between(apply, lookup));
        toCreated.add(Duration.between(lookup, made));
        toReady.add(Duration.between(made, r.at()));
        paths.put(name, Duration.between(apply, lookup).toMillis() + " + " + Duration.between(lookup, made).toMillis()
            + " + " + Duration.between(made, r.at()).toMillis() + " ms");
      }
    });
    result.slowest.replaceAll(slow -> new BenchResult.Slow(slow.name(), slow.appliedAfter(), slow.applyToReady(),
        paths.get(slow.name())));
    result.applyToLookup = Percentiles.of(toLookup);
    result.lookupToCreated = Percentiles.of(toCreated);
    result.createdToReady = Percentiles.of(toReady);
    long calls = result.cloudElementsCreation.values().stream().mapToLong(Long::longValue).sum();
    result.upstreamUtilization = options.latency().isZero() || result.creationWall.isZero() ? Double.NaN
        : (double) calls * options.latency().toNanos() / ((double) result.creationWall.toNanos()
            * options.concurrency());
  }

  /**
   * After a creation with faults: waits until the requests the faults held are answered, every resource is Ready
   * again, and the API server has seen no write for 2 s (at most 3 minutes); returns when.
   */
  private Instant settle(CloudElementsSimulator simulator, EmbeddedKubernetes kubernetes, ReadyWatch watch, int n)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(180);
    simulator.awaitIdle(Duration.ofSeconds(60));
    long writes = writes(kubernetes.dispatcher().requestsByVerb());
    Instant quietSince = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      long now = writes(kubernetes.dispatcher().requestsByVerb());
      if (now != writes) {
        writes = now;
        quietSince = Instant.now();
      }
      if (watch.allReadyNow(n) && simulator.inFlight() == 0
          && Duration.between(quietSince, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0) {
        break;
      }
    }
    return Instant.now();
  }

  private static long writes(Map<String, Long> verbs) {
    return BenchResult.WRITE_VERBS.stream().mapToLong(v -> verbs.getOrDefault(v, 0L)).sum();
  }

  /** Per second of the creation: resources applied, Cloud Elements calls that arrived, resources that became Ready. */
  private static void timeline(BenchResult result, Instant start, Map<String, Instant> applied,
      Map<String, ReadyWatch.Ready> ready, List<RecordedRequest> requests) {
    int seconds = (int) Math.max(1, Duration.between(start, ready.values().stream().map(ReadyWatch.Ready::at)
        .max(Instant::compareTo).orElse(start)).toSeconds() + 1);
    int[] applies = new int[seconds];
    int[] calls = new int[seconds];
    int[] readies = new int[seconds];
    applied.values().forEach(at -> bucket(applies, start, at));
    requests.forEach(r -> bucket(calls, start, r.at()));
    ready.values().forEach(r -> bucket(readies, start, r.at()));
    result.timeline = List.of(applies, calls, readies);
  }

  private static void bucket(int[] counts, Instant start, Instant at) {
    long second = Duration.between(start, at).toSeconds();
    if (second >= 0 && second < counts.length) {
      counts[(int) second]++;
    }
  }

  static String operation(RecordedRequest request) {
    String path = request.path();
    if (path.equals("/instances")) {
      return request.method().equals("GET") ? (request.query() != null && request.query().contains("tags")
          ? "GET /instances?tags[]" : "GET /instances") : request.method() + " /instances";
    }
    if (INSTANCE_PATH.matcher(path).matches()) {
      return request.method() + " /instances/{id}";
    }
    return request.method() + " " + path;
  }

  private void countRemoteInstances(BenchResult result, List<SimulatedInstance> instances) {
    Map<String, Integer> byTag = new TreeMap<>();
    for (SimulatedInstance instance : instances) {
      instance.tags().stream().filter(t -> t.startsWith(OwnershipTag.PREFIX))
          .forEach(t -> byTag.merge(t, 1, Integer::sum));
    }
    result.remoteInstances = instances.size() - result.warmupReady - (options.separateProcess() ? 1 : 0);
    result.duplicates = byTag.values().stream().mapToInt(c -> c - 1).sum();
  }

  private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach((verb, count) -> diff.put(verb, count - before.getOrDefault(verb, 0L)));
    return diff;
  }

  private static void sleepUntil(Instant end) throws InterruptedException {
    long wait = Duration.between(Instant.now(), end).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private void say(String format, Object... args) {
    if (progress != null) {
      progress.println("bench: " + String.format(java.util.Locale.ROOT, format, args));
      progress.flush();
    }
  }

  /** The operator being measured: in this process, or a process of its own. */
  private interface OperatorUnderTest {

    void start();

    /** Stops it and lets go of it, so that a collection afterwards no longer counts it. */
    void stop();

    /** Its process id, or -1 when it runs in this process. */
    long pid();

    /** CPU time of its own process, or -1 when it runs in this process. */
    long cpuNanos();
  }

  private static final class InProcessOperator implements OperatorUnderTest {

    private KubernetesClient client;
    private Operator operator;

    InProcessOperator(EmbeddedKubernetes kubernetes, OperatorConfig config) {
      client = kubernetes.newClient();
      operator = OperatorFactory.builder(client, config).build();
    }

    @Override
    public void start() {
      operator.start();
    }

    @Override
    public void stop() {
      if (operator != null) {
        operator.stop();
        client.close();
        operator = null;
        client = null;
      }
    }

    @Override
    public long pid() {
      return -1;
    }

    @Override
    public long cpuNanos() {
      return -1;
    }
  }

  private static final class SeparateOperator implements OperatorUnderTest {

    final OperatorProcess process;

    SeparateOperator(OperatorProcess process) {
      this.process = process;
    }

    @Override
    public void start() {
      process.start();
    }

    @Override
    public void stop() {
      process.stop();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public long cpuNanos() {
      return process.cpuNanos();
    }
  }
}
