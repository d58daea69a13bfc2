package io.cloudelements.operator.bench;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The operator in the bench's own process: its memory figures are the whole process's. */
final class InProcessOperator implements OperatorUnderTest {

  private final Instant jvmStart =
      Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  private final ApiServerRequests requests = new ApiServerRequests();
  private KubernetesClient client;
  private Operator operator;
  private Duration toStarted = Duration.ZERO;

  InProcessOperator(EmbeddedKubernetes kubernetes, OperatorConfig config) {
    client = kubernetes.newClient(requests);
    operator = OperatorFactory.builder(client, config).build();
  }

  @Override
  public void start() {
    operator.start();
    toStarted = Duration.between(jvmStart, Instant.now());
  }

  @Override
  public Instant origin() {
    return jvmStart;
  }

  @Override
  public Duration toStarted() {
    return toStarted;
  }

  @Override
  public long pid() {
    return -1;
  }

  /** The whole process's: the operator's share of it cannot be told apart. */
  @Override
  public long cpuNanos() {
    return ProcessMemory.processCpuNanos();
  }

  @Override
  public boolean sharesThisProcess() {
    return true;
  }

  @Override
  public Map<String, ApiServerRequests.Totals> apiServerRequests() {
    return requests.totals();
  }

  @Override
  public int resourcesOfItsOwn() {
    return 0;
  }

  @Override
  public MemoryFigures.AtReady memoryAtReady() {
    return new MemoryFigures.AtReady(ProcessMemory.liveHeapAfterFullGc(), ProcessMemory.rss(), -1);
  }

  @Override
  public MemoryFigures stopAndMeasure(MemoryFigures.AtReady atReady, ProcessMemory follower) {
    close();
    long withoutOperator = ProcessMemory.liveHeapAfterFullGc();
    return new MemoryFigures(
        atReady.liveHeap(),
        atReady.rss(),
        follower.peakHeapAfterGc(),
        withoutOperator,
        ProcessMemory.peakRss(),
        -1);
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.stop();
      client.close();
      operator = null;
      client = null;
    }
  }
}
