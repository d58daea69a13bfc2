package io.cloudelements.operator.runtime;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.consent.OAuthConsent;
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
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as the jar's {@code run} command runs it ({@link OperatorFactory#buildRuntime()}):
 * metrics in a Prometheus registry, leader election when {@link
 * OperatorConfig#leaderElectionEnabled()}, and the {@link ManagementServer} on {@link
 * OperatorConfig#managementPort()}, and the OAuth callback endpoint on {@link
 * OperatorConfig#oauthCallbackPort()}.
 *
 * <p>{@link #start()} opens the management server first (so that probes answer 503 while the caches
 * sync), then starts the operator. {@link #close()} stops the management server, then the operator,
 * which waits up to {@link OperatorConfig#terminationTimeout()} for running reconciles and then
 * interrupts them: an interrupted reconcile leaves the resource as it was and the next leader
 * reconciles it again. The Kubernetes client stays open: its owner closes it.
 */
public final class OperatorRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final OperatorConfig config;
  private final InetAddress bindAddress;
  private final PrometheusMeterRegistry registry;
  private final Leadership leadership;
  private final Operator operator;
  private final Probes probes;
  private final InstanceGauges instanceGauges;
  private final OAuthConsent consent;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private volatile ManagementServer management;
  private boolean closed;

  OperatorRuntime(OperatorFactory factory) {
    this.config = factory.config();
    this.bindAddress = factory.bindAddress();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    LeaderElectionConfiguration leaderElection = null;
    if (config.leaderElectionEnabled()) {
      String identity = factory.identity();
      leadership = Leadership.elected(identity, factory.onLostLeadership());
      leaderElection =
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
              .withLeaseNamespace(config.podNamespace())
              .withIdentity(identity)
              .withLeaseDuration(factory.leaseDuration())
              .withRenewDeadline(factory.renewDeadline())
              .withRetryPeriod(factory.retryPeriod())
              .withLeaderCallbacks(leadership.callbacks())
              .build();
    } else {
      leadership = Leadership.disabled();
    }
    this.operator = factory.operator(registry, leaderElection);
    this.consent = factory.oauthConsent();
    this.probes = new Probes(operator, leadership);
    this.instanceGauges =
        new InstanceGauges(registry, InstanceGauges.cacheOf(operator), leadership::mayReconcile);
  }

  /**
   * Opens the management server, then starts the operator (which returns once the informers have
   * synced). A {@link #close()} meanwhile, from a shutdown hook, does not wait for the start to
   * finish.
   */
  public void start() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("already closed");
      }
      management =
          ManagementServer.start(
              bindAddress,
              config.managementPort(),
              probes::liveness,
              probes::readiness,
              registry,
              instanceGauges::refresh);
      consent.startCallback(bindAddress, registry);
    }
    if (leadership.enabled()) {
      LOG.info(
          "Leader election on: Lease {}/{}, identity {}",
          config.podNamespace(),
          config.leaseName(),
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

  /** The port of the OAuth callback endpoint (useful with port 0). */
  public int oauthCallbackPort() {
    return consent.callbackPort();
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
    // Both servers let a running request finish for up to a second (on JDK 17 the whole second):
    // side by side.
    CompletableFuture<Void> callbacks = CompletableFuture.runAsync(consent::close);
    if (management != null) {
      management.close();
    }
    callbacks.join();
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
