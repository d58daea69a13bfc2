package io.cloudelements.operator.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator, {@code java -jar target/campaign-monitor-operator.jar run}, as a separate
 * process: it reads a kubeconfig that points at the test JVM's embedded API server and the
 * environment that points at the test JVM's simulator, logs at DEBUG into a file, and is killed
 * with SIGKILL ({@link Process#destroyForcibly()}).
 */
final class OperatorProcess {

  static final Path JAR =
      Path.of(System.getProperty("basedir", "."), "target", "campaign-monitor-operator.jar");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Process process;
  private final Path log;
  private final int managementPort;

  private OperatorProcess(Process process, Path log, int managementPort) {
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  /**
   * Starts {@code run} with the environment {@code env} (on top of a minimal one), logging to
   * {@code log}.
   */
  static OperatorProcess start(Path kubeconfig, Map<String, String> env, Path log) {
    int port = freePort();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Start-up speed matters more than peak speed here.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-Xss512k",
            "-jar",
            JAR.toString(),
            "run");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("KUBERNETES_")
                    || k.startsWith("CLOUD_ELEMENTS_")
                    || k.equals("WATCH_NAMESPACES")
                    || k.startsWith("RETRY_")
                    || k.equals("RESYNC_INTERVAL"));
    Map<String, String> all = new LinkedHashMap<>();
    all.put("KUBECONFIG", kubeconfig.toString());
    all.put("KUBERNETES_HTTP2_DISABLE", "true");
    all.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    all.put("MANAGEMENT_PORT", Integer.toString(port));
    all.put("OAUTH_CALLBACK_PORT", Integer.toString(freePort()));
    all.put("LEADER_ELECTION_ENABLED", "false");
    all.put("LOG_FORMAT", "text");
    all.put("LOG_LEVEL", "DEBUG");
    all.putAll(env);
    environment.putAll(all);
    try {
      return new OperatorProcess(builder.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  /** SIGKILL, then waits for the process to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the operator process did not die within 10 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The exit code after {@link #kill()}: 137 (128 + SIGKILL). */
  int exitValue() {
    return process.exitValue();
  }

  /**
   * GET {@code /readyz}: 200 once the informers synced (if this build serves the management port).
   */
  boolean ready() {
    return get("/readyz").map(r -> r.statusCode() == 200).orElse(false);
  }

  /** The {@code /metrics} text, if this build serves the management port. */
  Optional<String> metrics() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body);
  }

  private Optional<HttpResponse<String>> get(String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
