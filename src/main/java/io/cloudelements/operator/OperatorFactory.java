package io.cloudelements.operator;

import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.cloudelements.MeteredCloudElementsClient;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.reconciler.Backoff;
import io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler;
import io.cloudelements.operator.reconciler.EventPublisher;
import io.cloudelements.operator.runtime.ReconcileMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the operator: one Kubernetes client, one Cloud Elements client (behind the per-process limit of
 * {@link OperatorConfig#maxConcurrentRequests()}), one reconciler. It starts neither a management server nor leader
 * election unless {@link Options} ask for it: {@link io.cloudelements.operator.runtime.OperatorRuntime} does that
 * for the jar's {@code run} command.
 */
public final class OperatorFactory {

  /** How long {@link Operator#stop()} waits for running reconciles when nothing else is asked. */
  public static final Duration DEFAULT_TERMINATION_TIMEOUT = Duration.ofSeconds(5);

  private OperatorFactory() {
  }

  /**
   * What the jar's runtime adds to a plain operator.
   *
   * @param meterRegistry where JOSDK's reconcile metrics and the Cloud Elements call metrics go; null for none
   * @param leaderElection leader election with a Lease; null for none (this process always reconciles)
   * @param terminationTimeout how long {@link Operator#stop()} waits for running reconciles before it interrupts them
   */
  public record Options(MeterRegistry meterRegistry, LeaderElectionConfiguration leaderElection,
      Duration terminationTimeout) {

    public static Options defaults() {
      return new Options(null, null, DEFAULT_TERMINATION_TIMEOUT);
    }

    public Options withMeterRegistry(MeterRegistry registry) {
      return new Options(registry, leaderElection, terminationTimeout);
    }

    public Options withLeaderElection(LeaderElectionConfiguration configuration) {
      return new Options(meterRegistry, configuration, terminationTimeout);
    }

    public Options withTerminationTimeout(Duration timeout) {
      return new Options(meterRegistry, leaderElection, timeout);
    }
  }

  /** A Kubernetes client on the JDK HTTP client, with Fabric8's default configuration (in-cluster or kubeconfig). */
  public static KubernetesClient kubernetesClient(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  /** The operator without metrics and without leader election. */
  public static Operator create(KubernetesClient kubernetes, OperatorConfig config) {
    return create(kubernetes, config, httpClient(config), Options.defaults());
  }

  /** The operator with its metrics in the given registry (null for none), without leader election. */
  public static Operator create(KubernetesClient kubernetes, OperatorConfig config, MeterRegistry meterRegistry) {
    return create(kubernetes, config, httpClient(config), Options.defaults().withMeterRegistry(meterRegistry));
  }

  public static Operator create(KubernetesClient kubernetes, OperatorConfig config, CloudElementsClient cloudElements) {
    return create(kubernetes, config, cloudElements, Options.defaults());
  }

  public static Operator create(KubernetesClient kubernetes, OperatorConfig config, CloudElementsClient cloudElements,
      Options options) {
    MeterRegistry registry = options.meterRegistry();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(kubernetes)
          .withUseSSAToPatchPrimaryResource(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(config.maxConcurrentReconciles())
          .withReconciliationTerminationTimeout(options.terminationTimeout());
      if (registry != null) {
        o.withMetrics(ReconcileMetrics.into(registry));
      }
      if (options.leaderElection() != null) {
        o.withLeaderElectionConfiguration(options.leaderElection());
      }
    });
    var limited = new MeteredCloudElementsClient(cloudElements, registry, config.maxConcurrentRequests());
    var reconciler = new CampaignMonitorInstanceReconciler(limited,
        new Backoff(config.retryInitialDelay(), config.retryMaxDelay()), new EventPublisher(kubernetes),
        Clock.systemUTC(), config.resyncInterval(), config.requestTimeout().multipliedBy(2));
    operator.register(reconciler, c -> {
      if (config.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    return operator;
  }

  private static CloudElementsClient httpClient(OperatorConfig config) {
    return new HttpCloudElementsClient(config.baseUrl(), config.requestTimeout());
  }
}
