package io.cloudelements.operator.cli;

import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Serves the stateful Cloud Elements simulator on its own: a test double for dev clusters and CI.
 */
public final class SimulatorCommand implements Command {

  @Override
  public String name() {
    return "simulator";
  }

  @Override
  public String summary() {
    return "Serve the Cloud Elements simulator (a test double, never for production).";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar campaign-monitor-operator.jar simulator [OPTIONS]

        Serves a stateful simulator of the Cloud Elements instances API until stopped. It is a test double
        for dev clusters and CI: never point production at it.

          --port N                  port to listen on (default 8089; 0 picks a free one)
          --bind ADDRESS            address to listen on (default 0.0.0.0)
          --user-secret S           expected user secret (default user-secret)
          --organization-secret S   expected organization secret (default org-secret)
          --latency D               added to every answer, e.g. 100ms (default 0ms)
          --fault-rate R            fraction of requests answered with 500/503/429/reset/timeout (default 0)
          --seed N                  seed of the fault mix (default 1)
          --auto-approve-consent    the consent page approves at once (302 to the callback with a fresh code)
                                    instead of asking a person to approve or deny

        Besides the instance calls, POST /instances/{id}/events/test delivers a sample subscriber event to the
        instance's event.notification.callback.url (loopback URLs only), signed when it holds
        event.notification.signature.key.
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    CommandLine options =
        CommandLine.parse(
            name(),
            args,
            Set.of(
                "--port",
                "--bind",
                "--user-secret",
                "--organization-secret",
                "--latency",
                "--fault-rate",
                "--seed"),
            Set.of("--auto-approve-consent"));
    int port = options.getInt("--port", 8089);
    double faultRate = options.getDouble("--fault-rate", 0);
    if (port < 0 || port > 65535 || faultRate < 0 || faultRate > 1) {
      throw new UsageException("simulator: --port must be 0..65535 and --fault-rate 0..1");
    }
    SimulatorOptions simulatorOptions =
        new SimulatorOptions(
            port,
            options.get("--user-secret", "user-secret"),
            options.get("--organization-secret", "org-secret"),
            options.getDuration("--latency", Duration.ZERO));
    CloudElementsSimulator simulator =
        CloudElementsSimulator.start(
            simulatorOptions, InetAddress.getByName(options.get("--bind", "0.0.0.0")));
    simulator.setFaultRate(faultRate, options.getInt("--seed", 1));
    boolean autoApprove = options.has("--auto-approve-consent");
    simulator.setConsentAutoApprove(autoApprove);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "shutdown"));
    out.println(
        "Cloud Elements simulator (a test double; never for production) at " + simulator.baseUrl());
    out.println(
        "  Point the operator at it: CLOUD_ELEMENTS_BASE_URL="
            + simulator.baseUrl()
            + " CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP=true");
    out.println(
        "  OAuth consent helper: GET "
            + simulator.baseUrl()
            + "/elements/campaignmonitor/oauth/url?apiKey=K&apiSecret=S&callbackUrl=https://app.example.com/cb&state=x");
    out.println(
        autoApprove
            ? "    returns an oauthUrl whose consent page redirects at once to callbackUrl?code=<a fresh one-time code>"
            : "    returns an oauthUrl whose consent page asks to approve (redirect to callbackUrl?code=<a fresh one-time "
                + "code>) or deny (error=access_denied)");
    out.flush();
    stopped.await();
    return 0;
  }
}
