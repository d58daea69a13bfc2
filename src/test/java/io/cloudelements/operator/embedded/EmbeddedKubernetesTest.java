package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKubernetesTest {

  @Test
  void countsRequestsByVerbAndLetsTestsIntercept() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      Map<String, Long> before = kubernetes.dispatcher().requestsByVerb();

      client
          .secrets()
          .inNamespace("a")
          .resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build())
          .create();
      client.secrets().inNamespace("a").withName("s").get();
      client.secrets().inNamespace("a").list();
      client
          .secrets()
          .inNamespace("a")
          .withName("s")
          .edit(
              s -> {
                s.getMetadata().setLabels(Map.of("x", "y"));
                return s;
              });
      kubernetes
          .dispatcher()
          .intercept(
              r ->
                  r.getMethod().equals("DELETE")
                      ? new MockResponse().setResponseCode(403).setBody("{}")
                      : null);
      boolean deleted;
      try {
        deleted = !client.secrets().inNamespace("a").withName("s").delete().isEmpty();
      } catch (RuntimeException refused) {
        deleted = false;
      }

      Map<String, Long> after = kubernetes.dispatcher().requestsByVerb();
      assertThat(after.get("create") - before.getOrDefault("create", 0L)).isEqualTo(1);
      assertThat(after.get("get")).isGreaterThanOrEqualTo(2);
      assertThat(after.get("list")).isEqualTo(1);
      assertThat(after.get("patch")).isEqualTo(1);
      assertThat(after.get("delete")).isEqualTo(1);
      assertThat(deleted).isFalse();
      assertThat(client.secrets().inNamespace("a").withName("s").get()).isNotNull();
    }
  }

  /**
   * A correctness check of the injection, not a timing goal: each timed request took at least the
   * latency.
   */
  @Test
  void theLatencyDelaysEveryAnswerButTheAdminClientsAndTheClientTimesIt() {
    Duration latency = Duration.ofMillis(300);
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      kubernetes.dispatcher().setLatency(latency, Duration.ofMillis(50));
      ApiServerRequests requests = new ApiServerRequests();
      try (KubernetesClient operator = kubernetes.newClient(requests)) {
        long start = System.nanoTime();
        operator
            .secrets()
            .inNamespace("a")
            .resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build())
            .create();
        operator.secrets().inNamespace("a").withName("s").get();
        Duration twoRequests = Duration.ofNanos(System.nanoTime() - start);

        assertThat(twoRequests).isGreaterThanOrEqualTo(latency.minusMillis(50).multipliedBy(2));
        assertThat(requests.totals()).containsOnlyKeys("create", "get");
        assertThat(requests.totals().values())
            .allSatisfy(
                t -> {
                  assertThat(t.count()).isEqualTo(1);
                  assertThat(Duration.ofNanos(t.nanos()))
                      .isGreaterThanOrEqualTo(latency.minusMillis(50));
                });
      }
      long start = System.nanoTime();
      kubernetes.client().secrets().inNamespace("a").withName("s").get();
      kubernetes.client().secrets().inNamespace("a").withName("s").get();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the admin client is not delayed")
          .isLessThan(latency.minusMillis(50).multipliedBy(2));
    }
  }

  @Test
  void aWatchIsNotDelayed() {
    ObservedCrudDispatcher.Latency latency =
        new ObservedCrudDispatcher.Latency(Duration.ofMillis(30), Duration.ofMillis(10));
    ObservedCrudDispatcher dispatcher = new ObservedCrudDispatcher(List.of());
    dispatcher.setLatency(Duration.ofMillis(30), Duration.ZERO);

    MockResponse watch =
        dispatcher.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.GET,
                "/api/v1/namespaces/a/secrets?watch=true",
                Headers.builder().build(),
                null));
    MockResponse list =
        dispatcher.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.GET,
                "/api/v1/namespaces/a/secrets",
                Headers.builder().build(),
                null));

    assertThat(watch.getBodyDelay()).isNull();
    assertThat(list.getBodyDelay()).isEqualTo(Duration.ofMillis(30));
    for (int i = 0; i < 200; i++) {
      assertThat(latency.next()).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
    }
  }

  @Test
  void overHttpsTheClientsTrustTheSelfSignedCertificate() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(true)) {
      ApiServerRequests requests = new ApiServerRequests();
      try (KubernetesClient operator = kubernetes.newClient(requests)) {
        assertThat(kubernetes.url()).startsWith("https://");
        operator
            .secrets()
            .inNamespace("a")
            .resource(new SecretBuilder().withNewMetadata().withName("t").endMetadata().build())
            .create();

        assertThat(kubernetes.client().secrets().inNamespace("a").withName("t").get()).isNotNull();
        assertThat(requests.totals()).containsKey("create");
      }
    }
  }
}
