package io.cloudelements.operator;

import io.cloudelements.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the jar: runs the operator until SIGTERM. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String USAGE = """
      Usage: java -jar campaign-monitor-operator.jar [run] [--help]

        run      Run the operator against the cluster of the Fabric8 default configuration
                 (in-cluster, else KUBECONFIG or ~/.kube/config) until SIGTERM. The default.
        --help   Show this help.

      Environment: CLOUD_ELEMENTS_BASE_URL, CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP, WATCH_NAMESPACES,
                   CLOUD_ELEMENTS_TIMEOUT, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY (see README.md).
      """;

  private Main() {
  }

  public static void main(String[] args) {
    String command = args.length == 0 ? "run" : args[0];
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      System.out.print(USAGE);
      return;
    }
    if (!command.equals("run") || args.length > 1) {
      System.err.println("campaign-monitor-operator: unknown command or option '" + String.join(" ", args)
          + "' (try --help)");
      System.exit(2);
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("campaign-monitor-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(config);
  }

  private static void run(OperatorConfig config) {
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
  }
}
