package io.cloudelements.operator.cli;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator against a real cluster until SIGTERM. */
public final class RunCommand implements Command {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "Run the operator against the current cluster until SIGTERM (the default command).";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar campaign-monitor-operator.jar run

        Runs the operator against the cluster of the Fabric8 default configuration (in-cluster, else
        KUBECONFIG or ~/.kube/config) until SIGTERM, with /healthz, /readyz and /metrics on MANAGEMENT_PORT.
        Settings come from environment variables (see README.md, "Configuration"):
          CLOUD_ELEMENTS_BASE_URL, CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP, CLOUD_ELEMENTS_TIMEOUT, WATCH_NAMESPACES,
          RESYNC_INTERVAL, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY, MANAGEMENT_PORT, LEADER_ELECTION_ENABLED,
          POD_NAMESPACE, LEASE_NAME, MAX_CONCURRENT_RECONCILES, MAX_CONCURRENT_REQUESTS, TERMINATION_TIMEOUT,
          LOG_FORMAT, LOG_LEVEL.
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) {
    CommandLine.parse(name(), args, Set.of(), Set.of());
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ApiServerRequests apiServerRequests = new ApiServerRequests();
    KubernetesClient kubernetes =
        OperatorFactory.kubernetesClient(Config.autoConfigure(null), apiServerRequests);
    // A lost Lease ends the process (exit code 1, and the pod restarts as a standby): JOSDK would
    // otherwise keep
    // reconciling next to the new leader. The exit runs on its own thread, since it waits for the
    // shutdown hook.
    OperatorRuntime runtime =
        OperatorFactory.builder(kubernetes, config)
            .apiServerRequests(apiServerRequests)
            .onLostLeadership(
                () -> {
                  Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
                  exit.setDaemon(true);
                  exit.start();
                })
            .buildRuntime();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping on signal");
                  stop(runtime, kubernetes);
                  stopped.countDown();
                },
                "shutdown"));
    LOG.info(
        "Starting; Cloud Elements at {}, namespaces {}, management port {}, leader election {}",
        config.baseUrl(),
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(),
        config.managementPort(),
        config.leaderElectionEnabled() ? "on" : "off");
    try {
      runtime.start();
    } catch (RuntimeException e) {
      stop(runtime, kubernetes);
      throw e;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void stop(OperatorRuntime runtime, KubernetesClient kubernetes) {
    runtime.close();
    kubernetes.close();
  }
}
