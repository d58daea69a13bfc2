package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded API server deletes what an owner owned when the owner goes, as a cluster does. */
class GarbageCollectorTest {

  @Test
  void deletingAnOwnerDeletesItsDependentsButNotWhatNoLongerNamesIt() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      ConfigMap owner =
          client
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withNamespace("a")
                      .withName("owner")
                      .endMetadata()
                      .build())
              .create();
      client.resource(ownedSecret("owned", owner)).create();
      client.resource(ownedSecret("orphaned", owner)).create();
      client.resource(ownedSecret("unrelated", null)).create();
      client
          .secrets()
          .inNamespace("a")
          .withName("orphaned")
          .edit(
              s -> {
                s.getMetadata().setOwnerReferences(List.of());
                return s;
              });

      client.configMaps().inNamespace("a").withName("owner").delete();
      // The collector deletes in order on one thread: once the later owner's dependent is gone,
      // every
      // delete the first owner caused has been made.
      ConfigMap later =
          client
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withNamespace("a")
                      .withName("later")
                      .endMetadata()
                      .build())
              .create();
      client.resource(ownedSecret("owned-later", later)).create();
      client.configMaps().inNamespace("a").withName("later").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.secrets().inNamespace("a").withName("owned-later").get())
                      .isNull());
      assertThat(client.secrets().inNamespace("a").withName("owned").get()).isNull();
      assertThat(client.secrets().inNamespace("a").list().getItems())
          .extracting(s -> s.getMetadata().getName())
          .containsExactlyInAnyOrder("orphaned", "unrelated");
    }
  }

  @Test
  void aDependentWithAnotherLiveOwnerStays() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      ConfigMap first = client.resource(configMap("first")).create();
      ConfigMap second = client.resource(configMap("second")).create();
      Secret shared = ownedSecret("shared", first);
      shared
          .getMetadata()
          .getOwnerReferences()
          .add(ownedSecret("x", second).getMetadata().getOwnerReferences().get(0));
      client.resource(shared).create();
      client.configMaps().inNamespace("a").withName("first").delete();
      ConfigMap later = client.resource(configMap("later")).create();
      client.resource(ownedSecret("owned-later", later)).create();
      client.configMaps().inNamespace("a").withName("later").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.secrets().inNamespace("a").withName("owned-later").get())
                      .isNull());
      assertThat(client.secrets().inNamespace("a").withName("shared").get()).isNotNull();
    }
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("a")
        .withName(name)
        .endMetadata()
        .build();
  }

  private static Secret ownedSecret(String name, ConfigMap owner) {
    SecretBuilder secret =
        new SecretBuilder().withNewMetadata().withNamespace("a").withName(name).endMetadata();
    if (owner != null) {
      secret
          .editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("ConfigMap")
                  .withName(owner.getMetadata().getName())
                  .withUid(owner.getMetadata().getUid())
                  .build())
          .endMetadata();
    }
    return secret.build();
  }
}
