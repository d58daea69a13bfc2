package io.cloudelements.operator.embedded;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.consent.OAuthConsent;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Everything in one process, connected over real HTTP: an embedded Kubernetes API, the Cloud
 * Elements simulator, and the unchanged operator pointed at both. Used by the demo and the
 * benchmark.
 */
public final class EmbeddedStack implements AutoCloseable {

  private final EmbeddedKubernetes kubernetes;
  private final CloudElementsSimulator simulator;
  private final KubernetesClient operatorClient;
  private final Operator operator;
  private final OAuthConsent consent;

  private EmbeddedStack(SimulatorOptions simulatorOptions, Duration resyncInterval) {
    kubernetes = EmbeddedKubernetes.start();
    simulator = CloudElementsSimulator.start(simulatorOptions);
    OperatorConfig config =
        new OperatorConfig(
                URI.create(simulator.baseUrl()),
                true,
                Set.of(),
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                resyncInterval)
            .withTerminationTimeout(Duration.ofSeconds(5))
            .withOauthCallbackPort(0);
    operatorClient = kubernetes.newClient();
    OperatorFactory factory = OperatorFactory.builder(operatorClient, config);
    operator = factory.build();
    consent = factory.oauthConsent();
  }

  /** Starts the API server and the simulator; the operator starts with {@link #startOperator()}. */
  public static EmbeddedStack create(SimulatorOptions simulatorOptions, Duration resyncInterval) {
    return new EmbeddedStack(simulatorOptions, resyncInterval);
  }

  /** Starts the operator and its OAuth callback endpoint on a free loopback port. */
  public void startOperator() {
    consent.startCallback(InetAddress.getLoopbackAddress(), null);
    operator.start();
  }

  /** The loopback URL of the operator's OAuth callback endpoint, for spec.oauth.callbackUrl. */
  public String callbackUrl() {
    return "http://127.0.0.1:" + consent.callbackPort() + "/oauth/callback";
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
    consent.close();
    operator.stop();
    operatorClient.close();
    simulator.close();
    kubernetes.close();
  }
}
