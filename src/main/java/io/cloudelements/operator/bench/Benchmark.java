package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * One benchmark run: the embedded Kubernetes API (Fabric8 mock server) and the Cloud Elements
 * simulator with the given latency and faults in this process, and the operator with the given
 * concurrency, in this process too or as a process of its own ({@link OperatorUnderTest}). It
 * creates N resources, waits until all are Ready, then lets the given number of drift resyncs pass
 * and counts every call. See docs/performance.md.
 */
public final class Benchmark {

  private static final int APPLY_THREADS = 4;

  private final BenchOptions options;
  private final PrintStream progress;

  /**
   * @param progress where the phases are announced while the run goes on (not the figures); null
   *     for nowhere
   */
  public Benchmark(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * The figures of the warm-up: how many became Ready, how long it took, the first resource's apply
   * to Ready.
   */
  private record Warmup(int ready, Duration wall, Duration firstApplyToReady) {
    static final Warmup NONE = new Warmup(0, null, null);
  }

  /** What the creation leaves for the phases after it. */
  private record Created(
      Instant start,
      Instant allReadyAt,
      Map<String, Instant> applied,
      Map<String, ReadyWatch.Ready> ready,
      boolean allReady,
      Map<String, Long> kubernetesAtReady,
      Map<String, Long> kubernetes,
      CreationPhase.CpuShares cpu,
      ApiServerTimes apiServer,
      long operatorCpu) {}

  /** The operator's CPU time and API-server request timings at one moment. */
  private record Reading(long cpuNanos, Map<String, ApiServerRequests.Totals> apiServer) {

    static Reading of(OperatorUnderTest operator) {
      return new Reading(operator.cpuNanos(), operator.apiServerRequests());
    }

    long cpuSince(Reading before) {
      return cpuNanos < 0 || before.cpuNanos < 0 ? -1 : cpuNanos - before.cpuNanos;
    }
  }

  public BenchResult run() throws InterruptedException {
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    Duration interval = options.effectiveResyncInterval();
    int n = options.instances();
    try (ProcessMemory follower = ProcessMemory.follow();
        EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(options.apiServer().tls());
        CloudElementsSimulator simulator =
            CloudElementsSimulator.start(
                SimulatorOptions.defaults()
                    .withSecrets(BenchResources.USER_SECRET, BenchResources.ORGANIZATION_SECRET)
                    .withLatency(options.latency()))) {
      kubernetes
          .dispatcher()
          .setLatency(options.apiServer().latency(), options.apiServer().jitter());
      FirstPatch firstReconcile = new FirstPatch();
      kubernetes.dispatcher().intercept(firstReconcile);
      KubernetesClient admin = kubernetes.client();
      for (String namespace :
          List.of(
              BenchResources.NAMESPACE,
              BenchResources.WARMUP_NAMESPACE,
              BenchResources.STARTUP_NAMESPACE)) {
        for (Secret secret : BenchResources.inputSecrets(namespace)) {
          admin.resource(secret).create();
        }
      }
      Duration jvmToStackStarted = Duration.between(jvmStart, Instant.now());

      try (ReadyWatch watch = ReadyWatch.start(admin, BenchResources.NAMESPACE, n);
          OperatorUnderTest operator = operatorUnderTest(kubernetes, simulator, interval)) {
        operator.start();
        simulator.setFaultRate(options.faultRate(), options.seed());
        Warmup warmup = options.warmup() > 0 ? warmUp(admin) : Warmup.NONE;

        Created created = create(admin, kubernetes, watch, operator);
        StartupPhase startup =
            new StartupPhase(
                jvmToStackStarted,
                operator.toStarted(),
                firstReconcile.at() == null
                    ? null
                    : Duration.between(operator.origin(), firstReconcile.at()),
                warmup.firstApplyToReady() != null
                    ? warmup.firstApplyToReady()
                    : applyToReady(created, 0),
                warmup.ready(),
                warmup.wall(),
                operator.pid());

        simulator.setFaultRate(0, options.seed());
        MemoryFigures.AtReady atReady = operator.memoryAtReady();
        Instant steadyStart = created.allReadyAt();
        Map<String, Long> k8sAtSteadyStart = created.kubernetesAtReady();
        // After the forced collections of memoryAtReady(), so that their CPU is not counted as the
        // resyncs'.
        Reading atSteadyStart = Reading.of(operator);
        Duration settling = null;
        if (options.faultRate() > 0 && created.allReady()) {
          say(
              "faults off; waiting until the requests they held are answered and all are Ready again");
          steadyStart = settle(simulator, kubernetes, watch, n);
          k8sAtSteadyStart = kubernetes.dispatcher().requestsByVerb();
          atSteadyStart = Reading.of(operator);
          settling = Duration.between(created.allReadyAt(), steadyStart);
        }
        if (created.allReady()) {
          waitForResyncs(steadyStart, interval);
        }
        Reading atSteadyEnd = Reading.of(operator);
        Map<String, Long> k8sSteady =
            difference(kubernetes.dispatcher().requestsByVerb(), k8sAtSteadyStart);
        Duration steadyDuration = Duration.between(steadyStart, Instant.now());
        List<RecordedRequest> requests = simulator.requests();
        List<SimulatedInstance> instances = simulator.instances();
        CloudElementsCalls calls =
            CloudElementsCalls.count(
                requests,
                created.start(),
                created.allReadyAt(),
                steadyStart,
                created.ready(),
                interval,
                options.resyncs(),
                options.faultRate() > 0);
        CreationPhase creation =
            creationPhase(
                created,
                calls,
                requests,
                instances,
                instances.size() - warmup.ready() - operator.resourcesOfItsOwn());
        SteadyPhase steady =
            new SteadyPhase(
                steadyDuration,
                k8sSteady,
                calls.steady(),
                calls.settling(),
                settling,
                calls.getsMin(),
                calls.getsMax(),
                calls.getsTotal(),
                calls.getAnomalies(),
                ApiServerTimes.between(atSteadyStart.apiServer(), atSteadyEnd.apiServer()),
                atSteadyEnd.cpuSince(atSteadyStart));
        MemoryFigures memory = operator.stopAndMeasure(atReady, follower);
        return new BenchResult(options, interval, startup, creation, steady, memory);
      }
    }
  }

  private OperatorUnderTest operatorUnderTest(
      EmbeddedKubernetes kubernetes, CloudElementsSimulator simulator, Duration interval) {
    return options.separateProcess()
        ? new SeparateOperator(
            new OperatorProcess(
                kubernetes,
                simulator,
                interval,
                options.effectiveReconcileThreads(),
                options.concurrency()),
            kubernetes.client(),
            progress)
        : new InProcessOperator(kubernetes, config(simulator, interval));
  }

  /**
   * Applies the measured resources and waits until all are Ready or the creation timeout passes.
   */
  private Created create(
      KubernetesClient admin,
      EmbeddedKubernetes kubernetes,
      ReadyWatch watch,
      OperatorUnderTest operator)
      throws InterruptedException {
    int n = options.instances();
    Map<String, Long> k8sAtStart = kubernetes.dispatcher().requestsByVerb();
    say(
        "applying %d resources %s; the lower bound of the creation is %s",
        n,
        options.applyRate() > 0 ? "at " + options.applyRate() + "/s" : "at once",
        BenchReport.seconds(options.lowerBound()));
    Reading atStart = Reading.of(operator);
    long processCpuAtStart = ProcessMemory.processCpuNanos();
    long operatorCpuAtStart = operator.sharesThisProcess() ? -1 : atStart.cpuNanos();
    long machineCpuAtStart = ProcessMemory.machineCpuNanos();
    Instant start = Instant.now();
    Map<String, Instant> applied = apply(admin, BenchResources.NAMESPACE, n, options.applyRate());
    boolean allReady =
        watch.await(Duration.between(Instant.now(), start.plus(options.creationTimeout())));
    if (allReady) {
      awaitNoWrites(kubernetes, Duration.ofMillis(500), Duration.ofSeconds(10));
    }
    Map<String, Long> k8sAtReady = kubernetes.dispatcher().requestsByVerb();
    Reading atReady = Reading.of(operator);
    CreationPhase.CpuShares cpu = CreationPhase.CpuShares.UNKNOWN;
    double available =
        (double) Duration.between(start, Instant.now()).toNanos()
            * Runtime.getRuntime().availableProcessors();
    if (processCpuAtStart >= 0 && machineCpuAtStart >= 0 && available > 0) {
      long processCpu = ProcessMemory.processCpuNanos() - processCpuAtStart;
      long machineCpu = ProcessMemory.machineCpuNanos() - machineCpuAtStart;
      double operatorShare = Double.NaN;
      long ours = processCpu;
      if (operatorCpuAtStart >= 0) {
        long operatorCpu = atReady.cpuNanos() - operatorCpuAtStart;
        operatorShare = operatorCpu / available;
        ours += operatorCpu;
      }
      cpu =
          new CreationPhase.CpuShares(
              processCpu / available, operatorShare, Math.max(0, machineCpu - ours) / available);
    }
    Map<String, ReadyWatch.Ready> ready = watch.ready();
    Instant allReadyAt =
        ready.values().stream()
            .map(ReadyWatch.Ready::at)
            .max(Instant::compareTo)
            .orElse(Instant.now());
    say(
        "%d of %d Ready after %s",
        ready.size(), n, BenchReport.seconds(Duration.between(start, allReadyAt)));
    Map<String, Long> k8sCreation = difference(k8sAtReady, k8sAtStart);
    k8sCreation.merge("create", (long) -n, Long::sum);
    return new Created(
        start,
        allReadyAt,
        applied,
        ready,
        allReady,
        k8sAtReady,
        k8sCreation,
        cpu,
        ApiServerTimes.between(atStart.apiServer(), atReady.apiServer()),
        atReady.cpuSince(atStart));
  }

  private CreationPhase creationPhase(
      Created created,
      CloudElementsCalls calls,
      List<RecordedRequest> requests,
      List<SimulatedInstance> instances,
      int remoteInstances) {
    Duration wall = Duration.between(created.start(), created.allReadyAt());
    List<Duration> latencies = new ArrayList<>();
    created
        .ready()
        .forEach((name, r) -> latencies.add(Duration.between(created.applied().get(name), r.at())));
    long callCount = calls.creation().values().stream().mapToLong(Long::longValue).sum();
    double utilization =
        options.latency().isZero() || wall.isZero()
            ? Double.NaN
            : (double) callCount
                * options.latency().toNanos()
                / ((double) wall.toNanos() * options.concurrency());
    return new CreationPhase(
        created.ready().size(),
        created.allReady(),
        wall,
        Percentiles.of(latencies),
        ResourcePaths.of(created.start(), created.applied(), created.ready(), requests, instances),
        utilization,
        created.cpu(),
        calls.creation(),
        calls.failedCreation(),
        calls.postsTotal(),
        calls.postsCreated(),
        remoteInstances,
        CloudElementsCalls.duplicates(instances),
        created.kubernetes(),
        ResourcePaths.timeline(created.start(), created.applied(), created.ready(), requests),
        created.apiServer(),
        created.operatorCpu());
  }

  /** Apply to Ready of the i-th measured resource; null when it did not become Ready. */
  private static Duration applyToReady(Created created, int i) {
    String name = BenchResources.name(i);
    ReadyWatch.Ready ready = created.ready().get(name);
    return ready == null ? null : Duration.between(created.applied().get(name), ready.at());
  }

  private OperatorConfig config(CloudElementsSimulator simulator, Duration resyncInterval) {
    return new OperatorConfig(
            URI.create(simulator.baseUrl()),
            true,
            Set.of(),
            Duration.ofSeconds(10),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            resyncInterval)
        .withMaxConcurrentReconciles(options.effectiveReconcileThreads())
        .withMaxConcurrentRequests(options.concurrency())
        .withTerminationTimeout(Duration.ofSeconds(5));
  }

  /**
   * A few resources in their own namespace, created and brought to Ready before the measured ones,
   * so that the figures of these show a warmed-up process (classes loaded, code compiled) rather
   * than its first seconds.
   */
  private Warmup warmUp(KubernetesClient admin) throws InterruptedException {
    int w = options.warmup();
    say("warming up with %d resources in namespace %s", w, BenchResources.WARMUP_NAMESPACE);
    Instant start = Instant.now();
    try (ReadyWatch warm = ReadyWatch.start(admin, BenchResources.WARMUP_NAMESPACE, w)) {
      Map<String, Instant> applied = apply(admin, BenchResources.WARMUP_NAMESPACE, w, 0);
      boolean done =
          warm.await(Duration.ofSeconds(60).plus(options.latency().multipliedBy(2L * w)));
      Map<String, ReadyWatch.Ready> ready = warm.ready();
      if (!done) {
        throw new IllegalStateException(
            "the warm-up did not finish: " + ready.size() + " of " + w + " Ready");
      }
      String first = BenchResources.name(0);
      return new Warmup(
          ready.size(),
          Duration.between(start, Instant.now()),
          ready.containsKey(first)
              ? Duration.between(applied.get(first), ready.get(first).at())
              : null);
    }
  }

  /**
   * Creates the resources from a few threads, at once or at the apply rate; returns when each
   * create started.
   */
  private Map<String, Instant> apply(KubernetesClient client, String namespace, int n, double rate)
      throws InterruptedException {
    Map<String, Instant> applied = new ConcurrentHashMap<>();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            APPLY_THREADS,
            r -> {
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
        creates.add(
            pool.submit(
                () -> {
                  applied.put(name, Instant.now());
                  try {
                    client
                        .resources(CampaignMonitorInstance.class)
                        .inNamespace(namespace)
                        .resource(BenchResources.resource(namespace, name))
                        .create();
                  } catch (KubernetesClientException e) {
                    // The client retries a create that timed out; a 409 then means an earlier try
                    // of it took effect.
                    if (e.getCode() != 409) {
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> create : creates) {
        try {
          create.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "Creating a resource failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return applied;
  }

  /**
   * Lets the resyncs pass: resyncs intervals and a half (without resyncs, half an interval but at
   * most 2 s).
   */
  private void waitForResyncs(Instant steadyStart, Duration interval) throws InterruptedException {
    Duration half = interval.dividedBy(2);
    Instant end =
        steadyStart
            .plus(interval.multipliedBy(options.resyncs()))
            .plus(
                options.resyncs() > 0
                    ? half
                    : half.compareTo(Duration.ofSeconds(2)) < 0 ? half : Duration.ofSeconds(2));
    say(
        "steady state: %d resyncs every %s, until %s from now",
        options.resyncs(),
        BenchReport.seconds(interval),
        BenchReport.seconds(Duration.between(Instant.now(), end)));
    long wait = Duration.between(Instant.now(), end).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /**
   * After a creation with faults: waits until the requests the faults held are answered, every
   * resource is Ready again, and the API server has seen no write for 2 s (at most 3 minutes);
   * returns when.
   */
  private Instant settle(
      CloudElementsSimulator simulator, EmbeddedKubernetes kubernetes, ReadyWatch watch, int n)
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
      if (watch.allReadyNow(n)
          && simulator.inFlight() == 0
          && Duration.between(quietSince, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0) {
        break;
      }
    }
    return Instant.now();
  }

  /**
   * Waits until the API server has seen no write for {@code quiet} (at most {@code max}): the
   * operator sends its Events in the background, so the last Created Events can arrive just after
   * the last status patch; they are writes of the creation, not of the steady state.
   */
  private static void awaitNoWrites(EmbeddedKubernetes kubernetes, Duration quiet, Duration max)
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

  private static long writes(Map<String, Long> verbs) {
    return BenchResult.WRITE_VERBS.stream().mapToLong(v -> verbs.getOrDefault(v, 0L)).sum();
  }

  private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach((verb, count) -> diff.put(verb, count - before.getOrDefault(verb, 0L)));
    return diff;
  }

  private void say(String format, Object... args) {
    if (progress != null) {
      progress.println("bench: " + String.format(Locale.ROOT, format, args));
      progress.flush();
    }
  }
}
