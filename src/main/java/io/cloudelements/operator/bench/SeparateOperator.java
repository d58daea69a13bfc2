package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The operator as a process of its own ({@link OperatorProcess}), started with one resource already
 * there, as after a restart or a deployment: its first reconcile is part of its start-up. Its
 * memory and CPU figures are its own.
 */
final class SeparateOperator implements OperatorUnderTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final OperatorProcess process;
  private final KubernetesClient admin;
  private final PrintStream progress;
  private Duration toStarted = Duration.ZERO;

  SeparateOperator(OperatorProcess process, KubernetesClient admin, PrintStream progress) {
    this.process = process;
    this.admin = admin;
    this.progress = progress;
  }

  /** Returns once the resource that was there before the process is Ready. */
  @Override
  public void start() throws InterruptedException {
    admin
        .resources(CampaignMonitorInstance.class)
        .inNamespace(BenchResources.STARTUP_NAMESPACE)
        .resource(BenchResources.resource(BenchResources.STARTUP_NAMESPACE, BenchResources.name(0)))
        .create();
    try (ReadyWatch probe = ReadyWatch.start(admin, BenchResources.STARTUP_NAMESPACE, 1)) {
      if (progress != null) {
        progress.println("bench: starting the operator process");
      }
      process.start();
      if (!probe.await(START_TIMEOUT)) {
        throw new IllegalStateException(
            "the operator process did not make its first resource Ready within 60 s"
                + (process.alive() ? "" : " (it ended)")
                + "; its last lines:\n"
                + process.outputTail());
      }
      toStarted =
          Duration.between(process.startedAt(), probe.ready().values().iterator().next().at());
    }
  }

  @Override
  public Instant origin() {
    return process.startedAt();
  }

  @Override
  public Duration toStarted() {
    return toStarted;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public long cpuNanos() {
    return process.cpuNanos();
  }

  @Override
  public boolean sharesThisProcess() {
    return false;
  }

  /** Read from its /metrics. */
  @Override
  public Map<String, ApiServerRequests.Totals> apiServerRequests() {
    return process.apiServerRequests();
  }

  @Override
  public int resourcesOfItsOwn() {
    return 1;
  }

  @Override
  public MemoryFigures.AtReady memoryAtReady() {
    return new MemoryFigures.AtReady(
        ProcessMemory.liveHeapOf(pid()), ProcessMemory.rss(pid()), ProcessMemory.rss());
  }

  @Override
  public MemoryFigures stopAndMeasure(MemoryFigures.AtReady atReady, ProcessMemory follower) {
    long peakRss = ProcessMemory.peakRss(pid());
    close();
    return new MemoryFigures(
        atReady.liveHeap(), atReady.rss(), -1, -1, peakRss, atReady.benchProcessRss());
  }

  @Override
  public void close() {
    process.stop();
  }
}
