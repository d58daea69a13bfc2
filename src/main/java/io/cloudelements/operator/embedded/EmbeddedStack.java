package io.cloudelements.operator.embedded;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Everything in one process, connected over real HTTP: an embedded Kubernetes API, the Cloud Elements simulator,
 * and the unchanged operator pointed at both. Used by the demo and the benchmark.
 */
public final class EmbeddedStack implements AutoCloseable {

  private final EmbeddedKubernetes kubernetes;
  private final CloudElementsSimulator simulator;
  private final KubernetesClient operatorClient;
  private final Operator operator;

  private EmbeddedStack(SimulatorOptions simulatorOptions, Duration resyncInterval) {
    kubernetes = EmbeddedKubernetes.start();
    simulator = CloudElementsSimulator.start(simulatorOptions);
    OperatorConfig config = new OperatorConfig(URI.create(simulator.baseUrl()), true, Set.of(),
        Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(30), resyncInterval)
        .withTerminationTimeout(Duration.ofSeconds(5));
    operatorClient = kubernetes.newClient();
    operator = OperatorFactory.builder(operatorClient, config).build();
  }

  /** Starts the API server and the simulator; the operator starts with {@link #startOperator()}. */
  public static EmbeddedStack create(SimulatorOptions simulatorOptions, Duration resyncInterval) {
    return new EmbeddedStack(simulatorOptions, resyncInterval);
  }

  public void startOperator() {
    operator.start();
  }

  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public CloudElementsSimulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    operator.stop();
    operatorClient.close();
    simulator.close();
    kubernetes.close();
  }
}
