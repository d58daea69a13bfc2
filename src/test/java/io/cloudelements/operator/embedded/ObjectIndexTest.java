package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mock API server finds named objects through its index: every way the store changes (create,
 * update, patch, delete, re-create) must show in what a GET, a create's conflict check and a patch
 * see, exactly as the plain store would answer.
 */
class ObjectIndexTest {

  @Test
  void aNamedObjectIsFoundAfterEveryKindOfChangeAndGoneAfterItsDelete() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      client.resource(secret("a", "s", "one")).create();
      client.resource(secret("b", "s", "other namespace")).create();

      assertThat(value(client, "a", "s")).isEqualTo("one");
      assertThat(value(client, "b", "s")).isEqualTo("other namespace");
      assertThatThrownBy(() -> client.resource(secret("a", "s", "twice")).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

      client.secrets().inNamespace("a").withName("s").edit(s -> withValue(s, "edited"));
      assertThat(value(client, "a", "s")).isEqualTo("edited");
      client
          .secrets()
          .inNamespace("a")
          .withName("s")
          .edit(
              s -> {
                s.getMetadata().setLabels(Map.of("team", "x"));
                return s;
              });
      assertThat(client.secrets().inNamespace("a").withLabel("team", "x").list().getItems())
          .extracting(s -> s.getMetadata().getName())
          .containsExactly("s");

      client.secrets().inNamespace("a").withName("s").delete();
      assertThat(client.secrets().inNamespace("a").withName("s").get()).isNull();
      assertThat(value(client, "b", "s")).isEqualTo("other namespace");

      client.resource(secret("a", "s", "again")).create();
      assertThat(value(client, "a", "s")).isEqualTo("again");
      assertThat(client.secrets().inAnyNamespace().list().getItems()).hasSize(2);
    }
  }

  @Test
  void aResetEmptiesTheIndexWithTheStore() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      client.resource(secret("a", "s", "one")).create();

      kubernetes.dispatcher().reset();

      assertThat(client.secrets().inNamespace("a").withName("s").get()).isNull();
      client.resource(secret("a", "s", "two")).create();
      assertThat(value(client, "a", "s")).isEqualTo("two");
    }
  }

  private static Secret secret(String namespace, String name, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToStringData("value", value)
        .build();
  }

  private static Secret withValue(Secret secret, String value) {
    secret.setStringData(Map.of("value", value));
    secret.setData(null);
    return secret;
  }

  private static String value(KubernetesClient client, String namespace, String name) {
    Secret stored = client.secrets().inNamespace(namespace).withName(name).get();
    return stored.getStringData() != null && stored.getStringData().containsKey("value")
        ? stored.getStringData().get("value")
        : new String(
            Base64.getDecoder().decode(stored.getData().get("value")), StandardCharsets.UTF_8);
  }
}
