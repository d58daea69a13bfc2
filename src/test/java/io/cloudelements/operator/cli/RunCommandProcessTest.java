package io.cloudelements.operator.cli;

import static io.cloudelements.operator.testing.LocalHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.testing.OperatorStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's default command as a real process: configured from the environment, JSON logs on
 * stdout, the management server, and a graceful stop on SIGTERM.
 */
class RunCommandProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private OperatorStack stack;
  private Process process;

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private Process run(Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.cloudelements.operator.Main",
                "run")
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("KUBERNETES_")
                    || k.equals("KUBECONFIG")
                    || k.equals("LOG_FORMAT")
                    || k.equals("LOG_LEVEL")
                    || k.startsWith("CLOUD_ELEMENTS_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  private String out(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void runsWithJsonLogsServesTheManagementEndpointsAndStopsOnSigterm() throws Exception {
    stack = OperatorStack.builder().withoutOperator().resync(Duration.ofMinutes(1)).start();
    int port = freePort();
    process =
        run(
            Map.of(
                "KUBECONFIG",
                Kubeconfig.write(
                        dir.resolve("kubeconfig"),
                        stack.kubernetes().url(),
                        "not-checked",
                        "default")
                    .toString(),
                "CLOUD_ELEMENTS_BASE_URL",
                stack.simulator().baseUrl(),
                "CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP",
                "true",
                "MANAGEMENT_PORT",
                Integer.toString(port),
                "OAUTH_CALLBACK_PORT",
                Integer.toString(freePort()),
                "LOG_FORMAT",
                "json",
                "MAX_CONCURRENT_RECONCILES",
                "2",
                "MAX_CONCURRENT_REQUESTS",
                "4"));

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(process.isAlive())
                  .as("the process runs; stderr: %s", out("stderr"))
                  .isTrue();
              try {
                return get(port, "/readyz").statusCode() == 200;
              } catch (UncheckedIOException notYet) {
                return false;
              }
            });
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);

    stack.applyBasic("piped");
    stack.awaitReason("piped", "Available");
    String metrics = get(port, "/metrics").body();
    assertThat(metrics)
        .contains("cloudelements_requests_total{code=\"2xx\",operation=\"create\"} 1.0")
        .contains(
            "campaignmonitorinstances{namespace=\"team-a\",ready=\"True\",reason=\"Available\"} 1.0")
        .contains("reconciliations_started_total");
    assertThat(stack.secretValues())
        .allSatisfy(secret -> assertThat(metrics).doesNotContain(secret));

    long signalled = System.nanoTime();
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);

    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(stopping).isLessThan(Duration.ofSeconds(15));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out("stdout").split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line)); // every line is one JSON object
      }
    }
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.path("formattedMessage").asText()).startsWith("Created instance ");
              assertThat(line.path("mdc").path("resource.name").asText()).isEqualTo("piped");
              assertThat(line.path("mdc").path("resource.namespace").asText()).isEqualTo("team-a");
            });
    assertThat(lines)
        .extracting(l -> l.path("formattedMessage").asText())
        .contains("Stopping on signal")
        .anyMatch(m -> m.startsWith("Operator stopped in "));
    assertThat(stack.secretValues())
        .allSatisfy(secret -> assertThat(out("stdout")).doesNotContain(secret));
    assertThat(out("stderr")).doesNotContain("Exception");
  }

  @Test
  void aWrongSettingEndsWithOneLineAndExitCode2() throws Exception {
    for (Map<String, String> env :
        List.of(
            Map.of("LOG_FORMAT", "xml"),
            Map.of("LEADER_ELECTION_ENABLED", "true"),
            Map.of("MANAGEMENT_PORT", "http"),
            Map.of("MAX_CONCURRENT_REQUESTS", "0"))) {
      process = run(env);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(process.exitValue()).as("%s", env).isEqualTo(2);
      assertThat(out("stderr").lines().toList())
          .as("%s", env)
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("campaign-monitor-operator: ")
          .contains(env.keySet().iterator().next());
      assertThat(out("stdout")).as("%s", env).isEmpty();
    }
  }
}
