package io.cloudelements.operator.runtime;

import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.cloudelements.MeteredCloudElementsClient;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.consent.OAuthConsent;
import io.cloudelements.operator.reconciler.Backoff;
import io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler;
import io.cloudelements.operator.reconciler.EventPublisher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Wires the operator: one Kubernetes client, one Cloud Elements client (behind the per-process
 * limit of {@link OperatorConfig#maxConcurrentRequests()}), one reconciler. {@link #build()} gives
 * the plain operator (no management server, no leader election); {@link #buildRuntime()} gives it
 * as the jar's {@code run} command runs it ({@link OperatorRuntime}). Every stop waits up to {@link
 * OperatorConfig#terminationTimeout()} for running reconciles.
 */
public final class OperatorFactory {

  private final KubernetesClient kubernetes;
  private final OperatorConfig config;
  private CloudElementsClient cloudElements;
  private MeterRegistry meterRegistry;
  private ApiServerRequests apiServerRequests;
  private String identity;
  private Duration leaseDuration = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
  private Duration renewDeadline = LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE;
  private Duration retryPeriod = LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE;
  private InetAddress bindAddress;
  private Runnable onLostLeadership = () -> {};
  private OAuthConsent consent;

  private OperatorFactory(KubernetesClient kubernetes, OperatorConfig config) {
    this.kubernetes = Objects.requireNonNull(kubernetes);
    this.config = Objects.requireNonNull(config);
  }

  /**
   * A builder with the HTTP Cloud Elements client, no metrics, JOSDK's Lease timings and every
   * interface.
   */
  public static OperatorFactory builder(KubernetesClient kubernetes, OperatorConfig config) {
    return new OperatorFactory(kubernetes, config);
  }

  /**
   * A Kubernetes client on the JDK HTTP client, with Fabric8's default configuration (in-cluster or
   * kubeconfig).
   */
  public static KubernetesClient kubernetesClient(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  /** The same, with its requests to the API server timed by {@code requests}. */
  public static KubernetesClient kubernetesClient(Config config, ApiServerRequests requests) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor(ApiServerRequests.NAME, requests))
        .build();
  }

  /**
   * The Cloud Elements client to use instead of the HTTP one of {@link OperatorConfig#baseUrl()}.
   */
  public OperatorFactory cloudElements(CloudElementsClient client) {
    this.cloudElements = client;
    return this;
  }

  /**
   * Where {@link #build()} puts JOSDK's reconcile metrics and the Cloud Elements call metrics (the
   * runtime has its own).
   */
  public OperatorFactory meterRegistry(MeterRegistry registry) {
    this.meterRegistry = registry;
    return this;
  }

  /**
   * The timings of the Kubernetes client's requests, to publish with the other metrics (see {@link
   * #kubernetesClient(Config, ApiServerRequests)}).
   */
  public OperatorFactory apiServerRequests(ApiServerRequests requests) {
    this.apiServerRequests = requests;
    return this;
  }

  /**
   * This replica's name in the Lease; by default {@link OperatorConfig#podName()}, else a random
   * one.
   */
  public OperatorFactory identity(String id) {
    this.identity = id;
    return this;
  }

  /**
   * @param duration how long a Lease holds without renewal: a standby takes over within it
   * @param renew how long the leader retries renewing before it gives up the Lease
   * @param retry how often the Lease is tried and renewed
   */
  public OperatorFactory leaseTimings(Duration duration, Duration renew, Duration retry) {
    this.leaseDuration = duration;
    this.renewDeadline = renew;
    this.retryPeriod = retry;
    return this;
  }

  /** The management server's address; null (the default) for every interface. */
  public OperatorFactory bindAddress(InetAddress address) {
    this.bindAddress = address;
    return this;
  }

  /**
   * Runs when this replica loses a Lease it held (not when it stops); by default only a log line.
   */
  public OperatorFactory onLostLeadership(Runnable action) {
    this.onLostLeadership = Objects.requireNonNull(action);
    return this;
  }

  /**
   * The operator-served OAuth consent of the operator built last: the runtime starts its callback
   * endpoint; a caller of {@link #build()} that wants one starts it with {@link
   * OAuthConsent#startCallback} and closes it.
   */
  public OAuthConsent oauthConsent() {
    if (consent == null) {
      throw new IllegalStateException("build the operator first");
    }
    return consent;
  }

  /**
   * The operator without management server and without leader election; nothing runs until it is
   * started.
   */
  public Operator build() {
    return operator(meterRegistry, null);
  }

  /**
   * The operator as the jar's {@code run} command runs it; nothing runs until {@link
   * OperatorRuntime#start()}.
   */
  public OperatorRuntime buildRuntime() {
    return new OperatorRuntime(this);
  }

  OperatorConfig config() {
    return config;
  }

  String identity() {
    if (identity != null) {
      return identity;
    }
    return config.podName() != null ? config.podName() : "operator-" + UUID.randomUUID();
  }

  Duration leaseDuration() {
    return leaseDuration;
  }

  Duration renewDeadline() {
    return renewDeadline;
  }

  Duration retryPeriod() {
    return retryPeriod;
  }

  InetAddress bindAddress() {
    return bindAddress;
  }

  Runnable onLostLeadership() {
    return onLostLeadership;
  }

  /**
   * The operator with its metrics in {@code registry} (null for none) and the given leader election
   * (null for none).
   */
  Operator operator(MeterRegistry registry, LeaderElectionConfiguration leaderElection) {
    EventPublisher events = EventPublisher.inBackground(kubernetes, config.maxConcurrentRequests());
    // Outside the overrider below: JOSDK runs it more than once, and a second binding of the same
    // meters is refused with a warning in every start's log.
    ReconcileMetrics reconcileMetrics = registry == null ? null : ReconcileMetrics.into(registry);
    if (registry != null && apiServerRequests != null) {
      apiServerRequests.bindTo(registry);
    }
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(kubernetes)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(config.maxConcurrentReconciles())
                  .withReconciliationTerminationTimeout(config.terminationTimeout());
              if (reconcileMetrics != null) {
                o.withMetrics(reconcileMetrics);
              }
              if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
              }
            }) {
          /** After the last reconcile has ended, the Events it queued are sent. */
          @Override
          public void stop() {
            try {
              super.stop();
            } finally {
              events.close();
            }
          }
        };
    CloudElementsClient upstream =
        cloudElements != null
            ? cloudElements
            : new HttpCloudElementsClient(config.baseUrl(), config.requestTimeout());
    var limited =
        new MeteredCloudElementsClient(upstream, registry, config.maxConcurrentRequests());
    consent = OAuthConsent.create(kubernetes, config, limited, Clock.systemUTC());
    var reconciler =
        new CampaignMonitorInstanceReconciler(
            limited,
            consent.starter(),
            new Backoff(config.retryInitialDelay(), config.retryMaxDelay()),
            events,
            Clock.systemUTC(),
            config.resyncInterval(),
            config.requestTimeout().multipliedBy(2));
    operator.register(
        reconciler,
        c -> {
          if (config.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    return operator;
  }
}
