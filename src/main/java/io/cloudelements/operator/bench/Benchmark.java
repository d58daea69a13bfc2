package io.cloudelements.operator.bench;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One benchmark run: the embedded Kubernetes API (Fabric8 mock server) and the Cloud Elements
 * simulator with the given latency and faults in this process, and the operator with the given
 * concurrency, in this process too or as a process of its own ({@link OperatorUnderTest}). It
 * creates N resources, waits until all are Ready, then lets the given number of drift resyncs pass
 * and counts every call. See docs/performance.md.
 */
public final class Benchmark {

  private final BenchOptions options;
  private final PrintStream progressStream;
  private final Progress progress;

  /**
   * @param progress where the phases are announced while the run goes on (not the figures); null
   *     for nowhere
   */
  public Benchmark(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progressStream = progress;
    this.progress = new Progress(progress);
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
      createInputSecrets(admin);
      Duration jvmToStackStarted = Duration.between(jvmStart, Instant.now());

      try (ReadyWatch watch = ReadyWatch.start(admin, BenchResources.NAMESPACE, n);
          OperatorUnderTest operator = operatorUnderTest(kubernetes, simulator, interval)) {
        operator.start();
        simulator.setFaultRate(options.faultRate(), options.seed());
        WarmUpRun.Warmup warmup = new WarmUpRun(options, progress).run(admin);

        CreationRun creationRun = new CreationRun(options, progress);
        CreationRun.Created created = creationRun.run(admin, kubernetes, watch, operator);
        StartupPhase startup =
            new StartupPhase(
                jvmToStackStarted,
                operator.toStarted(),
                firstReconcile.at() == null
                    ? null
                    : Duration.between(operator.origin(), firstReconcile.at()),
                warmup.firstApplyToReady() != null
                    ? warmup.firstApplyToReady()
                    : created.applyToReady(0),
                warmup.ready(),
                warmup.wall(),
                operator.pid());

        simulator.setFaultRate(0, options.seed());
        MemoryFigures.AtReady atReady = operator.memoryAtReady();
        SteadyStateRun.Window steadyWindow =
            new SteadyStateRun(options, progress, interval)
                .run(created, simulator, kubernetes, watch, operator);
        List<RecordedRequest> requests = simulator.requests();
        List<SimulatedInstance> instances = simulator.instances();
        CloudElementsCalls calls =
            CloudElementsCalls.count(
                requests,
                created.start(),
                created.allReadyAt(),
                steadyWindow.start(),
                created.ready(),
                interval,
                options.resyncs(),
                options.faultRate() > 0);
        CreationPhase creation =
            creationRun.phase(
                created,
                calls,
                requests,
                instances,
                instances.size() - warmup.ready() - operator.resourcesOfItsOwn());
        SteadyPhase steady = steadyWindow.phase(calls, requests);
        MemoryFigures memory = operator.stopAndMeasure(atReady, follower);
        return new BenchResult(options, interval, startup, creation, steady, memory);
      }
    }
  }

  /** The Secrets the resources of every namespace of the bench refer to. */
  private static void createInputSecrets(KubernetesClient admin) {
    for (String namespace :
        List.of(
            BenchResources.NAMESPACE,
            BenchResources.WARMUP_NAMESPACE,
            BenchResources.STARTUP_NAMESPACE)) {
      for (Secret secret : BenchResources.inputSecrets(namespace)) {
        admin.resource(secret).create();
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
            progressStream)
        : new InProcessOperator(kubernetes, config(simulator, interval));
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
}
