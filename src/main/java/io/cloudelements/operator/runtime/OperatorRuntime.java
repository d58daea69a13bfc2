package io.cloudelements.operator.runtime;

import io.cloudelements.operator.OperatorFactory;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as the jar's {@code run} command runs it: the {@link OperatorFactory operator} with metrics in a
 * Prometheus registry, leader election when {@link OperatorConfig#leaderElectionEnabled()}, and the
 * {@link ManagementServer} on {@link OperatorConfig#managementPort()}.
 *
 * <p>{@link #start()} opens the management server first (so that probes answer 503 while the caches sync), then
 * starts the operator. {@link #close()} stops the management server, then the operator, which waits up to
 * {@link Options#terminationTimeout()} for running reconciles and then interrupts them: an interrupted reconcile
 * leaves the resource as it was and the next leader reconciles it again. The Kubernetes client stays open: its owner
 * closes it.
 */
public final class OperatorRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final OperatorConfig config;
  private final Options options;
  private final PrometheusMeterRegistry registry;
  private final Leadership leadership;
  private final Operator operator;
  private final Probes probes;
  private final InstanceGauges instanceGauges;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private volatile ManagementServer management;
  private boolean closed;

  /**
   * How this process takes part in leader election and shuts down.
   *
   * @param identity this replica's name in the Lease (the pod name, from {@code HOSTNAME})
   * @param leaseDuration how long a Lease holds without renewal: a standby takes over within it
   * @param renewDeadline how long the leader retries renewing before it gives up the Lease
   * @param retryPeriod how often the Lease is tried and renewed
   * @param terminationTimeout how long a stop waits for running reconciles
   * @param bindAddress the management server's address; null for every interface
   * @param onLostLeadership runs when this replica loses a Lease it held (not when it stops)
   */
  public record Options(String identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
      Duration terminationTimeout, InetAddress bindAddress, Runnable onLostLeadership) {

    public Options {
      Objects.requireNonNull(identity);
      Objects.requireNonNull(onLostLeadership);
    }

    /**
     * JOSDK's Lease timings (15 s, 10 s, 2 s), a 20 s termination timeout (within the chart's 30 s grace period),
     * every interface, the pod name as identity, and only a log line on a lost Lease.
     */
    public static Options defaults() {
      String host = System.getenv("HOSTNAME");
      return new Options(host == null || host.isBlank() ? "operator-" + UUID.randomUUID() : host,
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          Duration.ofSeconds(20), null, () -> { });
    }

    public Options withIdentity(String id) {
      return new Options(id, leaseDuration, renewDeadline, retryPeriod, terminationTimeout, bindAddress,
          onLostLeadership);
    }

    public Options withLeaseTimings(Duration duration, Duration renew, Duration retry) {
      return new Options(identity, duration, renew, retry, terminationTimeout, bindAddress, onLostLeadership);
    }

    public Options withTerminationTimeout(Duration timeout) {
      return new Options(identity, leaseDuration, renewDeadline, retryPeriod, timeout, bindAddress,
          onLostLeadership);
    }

    public Options withBindAddress(InetAddress address) {
      return new Options(identity, leaseDuration, renewDeadline, retryPeriod, terminationTimeout, address,
          onLostLeadership);
    }

    public Options withOnLostLeadership(Runnable action) {
      return new Options(identity, leaseDuration, renewDeadline, retryPeriod, terminationTimeout, bindAddress,
          action);
    }
  }

  private OperatorRuntime(KubernetesClient kubernetes, OperatorConfig config, CloudElementsClient cloudElements,
      Options options) {
    this.config = config;
    this.options = options;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    OperatorFactory.Options factoryOptions = OperatorFactory.Options.defaults()
        .withMeterRegistry(registry)
        .withTerminationTimeout(options.terminationTimeout());
    if (config.leaderElectionEnabled()) {
      leadership = Leadership.elected(options.identity(), options.onLostLeadership());
      factoryOptions = factoryOptions.withLeaderElection(LeaderElectionConfigurationBuilder
          .aLeaderElectionConfiguration(config.leaseName())
          .withLeaseNamespace(config.podNamespace())
          .withIdentity(options.identity())
          .withLeaseDuration(options.leaseDuration())
          .withRenewDeadline(options.renewDeadline())
          .withRetryPeriod(options.retryPeriod())
          .withLeaderCallbacks(leadership.callbacks())
          .build());
    } else {
      leadership = Leadership.disabled();
    }
    this.operator = OperatorFactory.create(kubernetes, config, cloudElements, factoryOptions);
    this.probes = new Probes(operator, leadership);
    this.instanceGauges = new InstanceGauges(registry, InstanceGauges.cacheOf(operator), leadership::mayReconcile);
  }

  /** The runtime with the HTTP Cloud Elements client; nothing runs until {@link #start()}. */
  public static OperatorRuntime create(KubernetesClient kubernetes, OperatorConfig config, Options options) {
    return create(kubernetes, config, new HttpCloudElementsClient(config.baseUrl(), config.requestTimeout()),
        options);
  }

  public static OperatorRuntime create(KubernetesClient kubernetes, OperatorConfig config,
      CloudElementsClient cloudElements, Options options) {
    return new OperatorRuntime(kubernetes, config, cloudElements, options);
  }

  /**
   * Opens the management server, then starts the operator (which returns once the informers have synced). A
   * {@link #close()} meanwhile, from a shutdown hook, does not wait for the start to finish.
   */
  public void start() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("already closed");
      }
      management = ManagementServer.start(options.bindAddress(), config.managementPort(), probes::liveness,
          probes::readiness, registry, instanceGauges::refresh);
    }
    if (leadership.enabled()) {
      LOG.info("Leader election on: Lease {}/{}, identity {}", config.podNamespace(), config.leaseName(),
          leadership.identity());
    }
    operator.start();
  }

  /** The port the management server listens on (useful with port 0). */
  public int managementPort() {
    ManagementServer server = management;
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.port();
  }

  public Operator operator() {
    return operator;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Leadership leadership() {
    return leadership;
  }

  public Probes probes() {
    return probes;
  }

  /** Stops the management server, then the operator. Safe to call more than once. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    leadership.stopping();
    if (management != null) {
      management.close();
    }
    long start = System.nanoTime();
    try {
      operator.stop();
    } catch (RuntimeException e) {
      LOG.warn("Stopping the operator failed: {}", e.toString());
    }
    LOG.info("Operator stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    gcMetrics.close();
    registry.close();
  }
}
