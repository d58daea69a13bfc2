package io.cloudelements.operator.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateKeySecretTest {

  private static final String NAMESPACE = "operators";
  private EmbeddedKubernetes kubernetes;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
  }

  @AfterEach
  void stop() {
    kubernetes.close();
  }

  @Test
  void theFirstStartCreatesTheSecretAndLaterStartsReadTheSameKey() {
    byte[] first = StateKeySecret.loadOrCreate(client, NAMESPACE, new SecureRandom());
    byte[] second = StateKeySecret.loadOrCreate(client, NAMESPACE, new SecureRandom());

    assertThat(first).hasSize(32).isEqualTo(second);
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(StateKeySecret.NAME).get();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "campaign-monitor-operator");
    assertThat(Base64.getDecoder().decode(secret.getData().get(StateKeySecret.KEY)))
        .isEqualTo(first);
  }

  @Test
  void aKeyTheChartProvidesIsUsed() {
    byte[] provided = StateSigner.newKey(new SecureRandom());
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(secret(Base64.getEncoder().encodeToString(provided)))
        .create();

    assertThat(StateKeySecret.loadOrCreate(client, NAMESPACE, new SecureRandom()))
        .isEqualTo(provided);
  }

  @Test
  void aSecretWithAShortOrMissingKeyFailsWithAMessageThatSaysWhatToDo() {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(secret(Base64.getEncoder().encodeToString(new byte[8])))
        .create();

    assertThatThrownBy(() -> StateKeySecret.loadOrCreate(client, NAMESPACE, new SecureRandom()))
        .hasMessageContaining("shorter than 32 bytes");
  }

  @Test
  void losingTheCreateRaceToAnotherReplicaReadsItsKey() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.start();
    try (KubernetesClient racing = server.createClient()) {
      byte[] winner = StateSigner.newKey(new SecureRandom());
      String path = "/api/v1/namespaces/" + NAMESPACE + "/secrets/" + StateKeySecret.NAME;
      server.expect().get().withPath(path).andReturn(404, null).once();
      server
          .expect()
          .post()
          .withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets")
          .andReturn(409, null)
          .once();
      server
          .expect()
          .get()
          .withPath(path)
          .andReturn(200, secret(Base64.getEncoder().encodeToString(winner)))
          .once();

      assertThat(StateKeySecret.loadOrCreate(racing, NAMESPACE, new SecureRandom()))
          .isEqualTo(winner);
    } finally {
      server.destroy();
    }
  }

  private static Secret secret(String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(StateKeySecret.NAME)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(Map.of(StateKeySecret.KEY, key))
        .build();
  }
}
