package io.cloudelements.operator.cli;

import io.cloudelements.operator.OperatorFactory;
import io.cloudelements.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
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
        KUBECONFIG or ~/.kube/config) until SIGTERM. Settings come from environment variables:
          CLOUD_ELEMENTS_BASE_URL, CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP, WATCH_NAMESPACES, RESYNC_INTERVAL,
          CLOUD_ELEMENTS_TIMEOUT, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY (see README.md, "Configuration").
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
    KubernetesClient kubernetes = OperatorFactory.kubernetesClient(Config.autoConfigure(null));
    Operator operator = OperatorFactory.create(kubernetes, config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping on signal");
      operator.stop();
      kubernetes.close();
      stopped.countDown();
    }, "shutdown"));
    LOG.info("Starting; Cloud Elements at {}, namespaces {}", config.baseUrl(),
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces());
    operator.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
