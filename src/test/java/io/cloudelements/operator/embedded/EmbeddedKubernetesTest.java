package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKubernetesTest {

  @Test
  void countsRequestsByVerbAndLetsTestsIntercept() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      Map<String, Long> before = kubernetes.dispatcher().requestsByVerb();

      client.secrets().inNamespace("a").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
          .build()).create();
      client.secrets().inNamespace("a").withName("s").get();
      client.secrets().inNamespace("a").list();
      client.secrets().inNamespace("a").withName("s").edit(s -> {
        s.getMetadata().setLabels(Map.of("x", "y"));
        return s;
      });
      kubernetes.dispatcher().intercept(r -> r.getMethod().equals("DELETE")
          ? new MockResponse().setResponseCode(403).setBody("{}") : null);
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
}
