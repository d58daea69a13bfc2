package io.cloudelements.operator.cli;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.embedded.LeaseAccess;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A short life of the {@code run} command as a process of its own, started with {@code
 * -XX:ArchiveClassesAtExit}: so that the JVM writes the classes that the operator loads into a
 * class-data sharing archive when it exits, and a later start maps them instead of loading them
 * from the jar. The process talks to an embedded API server (over TLS, like a cluster's) and the
 * simulator in this process, with leader election on as in the chart: it creates an instance,
 * answers its probes and /metrics, resyncs it and deletes it, then is stopped with SIGTERM.
 */
final class ClassArchiveTraining {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** Flags of this JVM that the training process must not get (its own archive, tools). */
  private static final List<String> NOT_INHERITED =
      List.of(
          "-XX:ArchiveClassesAtExit",
          "-XX:SharedArchiveFile",
          "-Xshare",
          "-XX:StartFlightRecording",
          "-agentlib",
          "-agentpath",
          "-javaagent",
          "-Xlog",
          "-Xrunjdwp");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path archive;
  private final PrintStream out;

  ClassArchiveTraining(Path archive, PrintStream out) {
    this.archive = archive.toAbsolutePath();
    this.out = out;
  }

  /** Runs the training; true when the archive was written. */
  boolean run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Files.deleteIfExists(archive);
    Path log = Files.createTempFile("cds-training-", ".log");
    Path kubeconfig = null;
    Process process = null;
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(true);
        CloudElementsSimulator simulator =
            CloudElementsSimulator.start(SimulatorOptions.defaults())) {
      kubernetes.dispatcher().intercept(LeaseAccess::answer);
      KubernetesClient admin = kubernetes.client();
      TrainingWorkload workload = new TrainingWorkload(admin);
      workload.apply();
      kubeconfig = Kubeconfig.writeTemporary("cds-training-", kubernetes.url(), "training", null);
      int managementPort = freePort();
      ProcessBuilder builder =
          new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.keySet()
          .removeIf(
              k ->
                  k.startsWith("KUBERNETES_")
                      || k.startsWith("CLOUD_ELEMENTS_")
                      || k.equals("WATCH_NAMESPACES")
                      || k.equals("JDK_JAVA_OPTIONS")
                      || k.equals("JAVA_TOOL_OPTIONS"));
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("CLOUD_ELEMENTS_BASE_URL", simulator.baseUrl());
      env.put("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "true");
      env.put("RESYNC_INTERVAL", "2s");
      env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
      env.put("OAUTH_CALLBACK_PORT", Integer.toString(freePort()));
      env.put("LEADER_ELECTION_ENABLED", "true");
      env.put("POD_NAMESPACE", TrainingWorkload.NAMESPACE);
      env.put("POD_NAME", "cds-training");
      out.println("cds-archive: training " + String.join(" ", builder.command()));
      process = builder.start();
      Process operator = process;

      await("the instance to be Ready", operator, workload::ready);
      await(
          "/readyz to answer 200",
          operator,
          () ->
              status(managementPort, "/readyz") == 200
                  && status(managementPort, "/healthz") == 200);
      await("/metrics to answer 200", operator, () -> status(managementPort, "/metrics") == 200);
      await("a resync of the instance", operator, () -> simulator.count("GET", "/instances/") >= 1);
      workload.delete();
      await("the instance to be deleted", operator, workload::gone);
      process.destroy();
      if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the operator did not stop within " + STEP_TIMEOUT);
      }
      if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
        throw new IllegalStateException("the operator stopped without writing " + archive);
      }
      out.printf(
          "cds-archive: wrote %s (%.1f MiB) in %.1f s%n",
          archive, Files.size(archive) / 1048576.0, (System.nanoTime() - start) / 1e9);
      return true;
    } catch (IllegalStateException e) {
      out.println("cds-archive: failed: " + e.getMessage() + "; the operator's last lines:");
      out.println(tail(log));
      return false;
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
      if (kubeconfig != null) {
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  /** {@code java <this JVM's flags> -XX:ArchiveClassesAtExit=<archive> -cp <jar> Main run}. */
  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (NOT_INHERITED.stream().noneMatch(flag::startsWith)) {
        command.add(flag);
      }
    }
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    // Not the warning for each class it leaves out (generated, old bytecode, failed verification).
    command.add("-Xlog:cds=error");
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "io.cloudelements.operator.Main", "run"));
    return command;
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void await(String what, Process process, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator ended (exit code " + process.exitValue() + ") waiting for " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + STEP_TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
