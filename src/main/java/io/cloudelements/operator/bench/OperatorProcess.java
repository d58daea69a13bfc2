package io.cloudelements.operator.bench;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import java.io.IOException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as a process of its own, as in production: {@code java <this JVM's flags> -cp <this
 * class path> io.cloudelements.operator.Main run}, pointed at the embedded API server and the
 * simulator of the benchmark through a kubeconfig and the environment. Its start-up, memory and CPU
 * are then the operator's alone.
 */
final class OperatorProcess {

  private static final List<String> NOT_INHERITED =
      List.of(
          "-XX:StartFlightRecording",
          "-XX:FlightRecorderOptions",
          "-agentlib",
          "-agentpath",
          "-javaagent",
          "-Xlog",
          "-Xrunjdwp");

  private static final Pattern REQUESTS_METRIC =
      Pattern.compile(
          "(?m)^kubernetes_client_requests_seconds_(count|sum)\\{[^}]*verb=\"([a-z]+)\"[^}]*\\}\\s+(\\S+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int managementPort;
  private final Path kubeconfig;
  private final Path log;
  private final ProcessBuilder builder;
  private Process process;
  private Instant startedAt;

  OperatorProcess(
      EmbeddedKubernetes kubernetes,
      CloudElementsSimulator simulator,
      Duration resyncInterval,
      int reconciles,
      int requests) {
    try {
      kubeconfig = Kubeconfig.writeTemporary("bench-operator-", kubernetes.url(), "bench", null);
      log = Files.createTempFile("bench-operator-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (NOT_INHERITED.stream().noneMatch(flag::startsWith)) {
        command.add(flag);
      }
    }
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "io.cloudelements.operator.Main", "run"));
    builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("KUBERNETES_")
                    || k.startsWith("CLOUD_ELEMENTS_")
                    || k.equals("WATCH_NAMESPACES")
                    || k.equals("LEADER_ELECTION_ENABLED"));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("CLOUD_ELEMENTS_BASE_URL", simulator.baseUrl());
    env.put("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "true");
    env.put("CLOUD_ELEMENTS_TIMEOUT", "10s");
    env.put("RETRY_INITIAL_DELAY", "500ms");
    env.put("RETRY_MAX_DELAY", "30s");
    env.put("RESYNC_INTERVAL", resyncInterval.toMillis() + "ms");
    env.put("MAX_CONCURRENT_RECONCILES", Integer.toString(reconciles));
    env.put("MAX_CONCURRENT_REQUESTS", Integer.toString(requests));
    managementPort = freePort();
    env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("OAUTH_CALLBACK_PORT", Integer.toString(freePort()));
    env.put("LOG_LEVEL", "WARN");
    env.put("LOG_FORMAT", "text");
  }

  void start() {
    try {
      startedAt = Instant.now();
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the operator process " + builder.command(), e);
    }
  }

  /** When the process was started: the origin of its start-up time. */
  Instant startedAt() {
    return startedAt;
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * CPU time of the process so far (user and system, from /proc/<pid>/stat), in nanoseconds; -1
   * when unknown.
   */
  long cpuNanos() {
    if (process == null) {
      return -1;
    }
    long fromProc = ProcessMemory.cpuNanos(process.pid());
    return fromProc >= 0
        ? fromProc
        : process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /**
   * The operator's API-server request timings, from its /metrics; empty when they cannot be read.
   */
  Map<String, ApiServerRequests.Totals> apiServerRequests() {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parseApiServerRequests(response.body()) : Map.of();
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /**
   * The {@code kubernetes_client_requests_seconds} count and sum of each verb in a Prometheus
   * exposition.
   */
  static Map<String, ApiServerRequests.Totals> parseApiServerRequests(String exposition) {
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> nanos = new HashMap<>();
    Matcher m = REQUESTS_METRIC.matcher(exposition);
    while (m.find()) {
      double value = Double.parseDouble(m.group(3));
      if (m.group(1).equals("count")) {
        counts.put(m.group(2), (long) value);
      } else {
        nanos.put(m.group(2), Math.round(value * 1e9));
      }
    }
    Map<String, ApiServerRequests.Totals> totals = new TreeMap<>();
    counts.forEach(
        (verb, count) ->
            totals.put(verb, new ApiServerRequests.Totals(count, nanos.getOrDefault(verb, 0L))));
    return totals;
  }

  /** The last lines the process printed, to explain a failure. */
  String outputTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, as Kubernetes stops a pod, then a kill if it has not ended after 20 s. */
  void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    try {
      Files.deleteIfExists(kubeconfig);
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // temporary files only
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
