package io.cloudelements.operator;

import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.reconciler.Backoff;
import io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler;
import io.cloudelements.operator.reconciler.EventPublisher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** Wires the operator: one Kubernetes client, one Cloud Elements client, one reconciler. */
public final class OperatorFactory {

  private OperatorFactory() {
  }

  /** A Kubernetes client on the JDK HTTP client, with Fabric8's default configuration (in-cluster or kubeconfig). */
  public static KubernetesClient kubernetesClient(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  public static Operator create(KubernetesClient kubernetes, OperatorConfig config) {
    return create(kubernetes, config, new HttpCloudElementsClient(config.baseUrl(), config.requestTimeout()));
  }

  public static Operator create(KubernetesClient kubernetes, OperatorConfig config, CloudElementsClient cloudElements) {
    Operator operator = new Operator(o -> o.withKubernetesClient(kubernetes)
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false));
    var reconciler = new CampaignMonitorInstanceReconciler(cloudElements,
        new Backoff(config.retryInitialDelay(), config.retryMaxDelay()), new EventPublisher(kubernetes),
        Clock.systemUTC(), config.resyncInterval());
    operator.register(reconciler, c -> {
      if (config.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    return operator;
  }
}
