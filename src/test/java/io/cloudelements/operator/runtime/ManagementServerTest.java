package io.cloudelements.operator.runtime;

import static io.cloudelements.operator.testing.LocalHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.LocalHttp;
import io.cloudelements.operator.testing.OperatorStack;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The management endpoints of a started operator, over real HTTP, on the embedded Kubernetes API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementServerTest {

  private static OperatorStack stack;
  private static OperatorRuntime runtime;
  private static int port;

  @BeforeAll
  static void start() {
    stack = OperatorStack.builder().withoutOperator().resync(Duration.ofMinutes(1)).start();
    runtime = stack.newRuntime("solo", c -> c, f -> f);
    runtime.start();
    port = runtime.managementPort();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
    stack.close();
  }

  @Test
  @Order(1)
  void healthzAndReadyzAnswer200WhenTheOperatorRuns() {
    HttpResponse<String> health = get(port, "/healthz");
    HttpResponse<String> ready = get(port, "/readyz");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(health.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok\n");
  }

  @Test
  @Order(2)
  void metricsCarryTheOperatorTheCloudElementsCallsAndTheResourceGauges() {
    stack.applyBasic("metered");
    stack.awaitReason("metered", "Available");

    // JOSDK counts a reconcile as a success once its status patch is done, just after the status is
    // visible.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get(port, "/metrics").body())
                    .contains("reconciliations_success_total{"));
    HttpResponse<String> metrics = get(port, "/metrics");
    String body = metrics.body();

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue(ManagementServer.METRICS_CONTENT_TYPE);
    assertThat(body)
        .containsPattern(
            line("cloudelements_requests_total{code=\"2xx\",operation=\"create\"} 1.0"))
        .doesNotContain("operation=\"findByTag\"")
        .contains("# TYPE cloudelements_request_duration_seconds histogram")
        .contains("cloudelements_request_duration_seconds_bucket{operation=\"create\",le=\"0.25\"}")
        .contains("cloudelements_request_duration_seconds_count{operation=\"create\"} 1")
        .contains("cloudelements_requests_in_flight 0.0")
        .containsPattern(
            line(
                "campaignmonitorinstances{namespace=\"team-a\",ready=\"True\",reason=\"Available\"} 1.0"))
        .contains(
            "reconciliations_started_total{controller_name=\"campaignmonitorinstance\",namespace=\"team-a\"}")
        .contains(
            "reconciliations_execution_duration_seconds_bucket{controller_name=\"campaignmonitorinstance\"")
        .contains("reconciliations_active{controller_name=\"campaignmonitorinstance\"}")
        .contains(
            "events_received_total{action=\"ADDED\",controller_name=\"campaignmonitorinstance\","
                + "event=\"ResourceEvent\",namespace=\"team-a\"}")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  @Order(3)
  void theResourceGaugesFollowTheReadyCondition() {
    stack.credentials("late-account");
    stack.apply(InstanceYaml.basic("late", "late", ""));
    stack.awaitReason("late", "WaitingForSecret");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get(port, "/metrics").body())
                    .containsPattern(
                        line(
                            "campaignmonitorinstances{namespace=\"team-a\",ready=\"False\","
                                + "reason=\"WaitingForSecret\"} 1.0"))
                    .containsPattern(
                        line(
                            "campaignmonitorinstances{namespace=\"team-a\",ready=\"True\","
                                + "reason=\"Available\"} 1.0")));
  }

  @Test
  @Order(4)
  void noSecretValueAppearsInTheMetrics() {
    String body = get(port, "/metrics").body();
    List<String> secrets = stack.secretValues();

    assertThat(secrets).hasSizeGreaterThanOrEqualTo(4);
    assertThat(secrets).allSatisfy(secret -> assertThat(body).doesNotContain(secret));
  }

  @Test
  void otherPathsAndMethodsAreRefused() {
    assertThat(get(port, "/").statusCode()).isEqualTo(404);
    assertThat(get(port, "/healthz/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        LocalHttp.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head =
        LocalHttp.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void anOperatorThatIsNotStartedIsNeitherLiveNorReady() {
    Operator idle = stack.newOperator();
    Probes probes = new Probes(idle, Leadership.disabled());

    assertThat(probes.liveness()).isEqualTo(Check.failed("operator is not started"));
    assertThat(probes.readiness()).isEqualTo(Check.failed("operator is not started"));
    idle.stop();
  }

  @Test
  void failingChecksAnswer503WithTheirReason() {
    try (ManagementServer server =
        ManagementServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            () -> Check.failed("operator is not started"),
            () -> Check.failed("standby: not the leader"),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> {})) {
      HttpResponse<String> health = get(server.port(), "/healthz");
      HttpResponse<String> ready = get(server.port(), "/readyz");

      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("operator is not started\n");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("standby: not the leader\n");
    }
  }

  /** A whole line of the exposition. */
  private static Pattern line(String text) {
    return Pattern.compile("(?m)^" + Pattern.quote(text) + "$");
  }
}
