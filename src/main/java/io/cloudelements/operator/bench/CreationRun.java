package io.cloudelements.operator.bench;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The creation: applies the measured resources (at once or paced at the apply rate) and waits until
 * all are Ready or the creation timeout passes.
 */
final class CreationRun {

  /** What the creation leaves for the phases after it. */
  record Created(
      Instant start,
      Instant allReadyAt,
      Map<String, Instant> applied,
      Map<String, ReadyWatch.Ready> ready,
      boolean allReady,
      Map<String, Long> kubernetesAtReady,
      Map<String, Long> kubernetes,
      CreationPhase.CpuShares cpu,
      ApiServerTimes apiServer,
      long operatorCpu) {

    /** Apply to Ready of the i-th measured resource; null when it did not become Ready. */
    Duration applyToReady(int i) {
      String name = BenchResources.name(i);
      ReadyWatch.Ready r = ready.get(name);
      return r == null ? null : Duration.between(applied.get(name), r.at());
    }
  }

  private final BenchOptions options;
  private final Progress progress;

  CreationRun(BenchOptions options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  Created run(
      KubernetesClient admin,
      EmbeddedKubernetes kubernetes,
      ReadyWatch watch,
      OperatorUnderTest operator)
      throws InterruptedException {
    int n = options.instances();
    Map<String, Long> k8sAtStart = kubernetes.dispatcher().requestsByVerb();
    progress.say(
        "applying %d resources %s; the lower bound of the creation is %s",
        n,
        options.applyRate() > 0 ? "at " + options.applyRate() + "/s" : "at once",
        BenchReport.seconds(options.lowerBound()));
    OperatorReading atStart = OperatorReading.of(operator);
    long processCpuAtStart = ProcessMemory.processCpuNanos();
    long operatorCpuAtStart = operator.sharesThisProcess() ? -1 : atStart.cpuNanos();
    long machineCpuAtStart = ProcessMemory.machineCpuNanos();
    Instant start = Instant.now();
    Map<String, Instant> applied =
        ResourceApplier.apply(admin, BenchResources.NAMESPACE, n, options.applyRate());
    boolean allReady =
        watch.await(Duration.between(Instant.now(), start.plus(options.creationTimeout())));
    if (allReady) {
      ApiServerWrites.awaitNoWrites(kubernetes, Duration.ofMillis(500), Duration.ofSeconds(10));
    }
    Map<String, Long> k8sAtReady = kubernetes.dispatcher().requestsByVerb();
    OperatorReading atReady = OperatorReading.of(operator);
    CreationPhase.CpuShares cpu =
        cpuShares(start, processCpuAtStart, machineCpuAtStart, operatorCpuAtStart, atReady);
    Map<String, ReadyWatch.Ready> ready = watch.ready();
    Instant allReadyAt =
        ready.values().stream()
            .map(ReadyWatch.Ready::at)
            .max(Instant::compareTo)
            .orElse(Instant.now());
    progress.say(
        "%d of %d Ready after %s",
        ready.size(), n, BenchReport.seconds(Duration.between(start, allReadyAt)));
    Map<String, Long> k8sCreation = ApiServerWrites.difference(k8sAtReady, k8sAtStart);
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

  /** The shares of the machine's CPU the bench, the operator and the rest took since start. */
  private static CreationPhase.CpuShares cpuShares(
      Instant start,
      long processCpuAtStart,
      long machineCpuAtStart,
      long operatorCpuAtStart,
      OperatorReading atReady) {
    double available =
        (double) Duration.between(start, Instant.now()).toNanos()
            * Runtime.getRuntime().availableProcessors();
    if (processCpuAtStart < 0 || machineCpuAtStart < 0 || available <= 0) {
      return CreationPhase.CpuShares.UNKNOWN;
    }
    long processCpu = ProcessMemory.processCpuNanos() - processCpuAtStart;
    long machineCpu = ProcessMemory.machineCpuNanos() - machineCpuAtStart;
    double operatorShare = Double.NaN;
    long ours = processCpu;
    if (operatorCpuAtStart >= 0) {
      long operatorCpu = atReady.cpuNanos() - operatorCpuAtStart;
      operatorShare = operatorCpu / available;
      ours += operatorCpu;
    }
    return new CreationPhase.CpuShares(
        processCpu / available, operatorShare, Math.max(0, machineCpu - ours) / available);
  }

  /** The creation's figures, once the calls of the whole run are counted. */
  CreationPhase phase(
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
}
