package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

  @Test
  void fabric8ReadsTheServerTheTokenAndTheNamespace(@TempDir Path dir) throws Exception {
    Path file =
        Kubeconfig.write(dir.resolve("kubeconfig"), "http://127.0.0.1:4321/", "t\"ok", "team-a");

    Config config = Config.fromKubeconfig(java.nio.file.Files.readString(file));

    assertThat(config.getMasterUrl()).isEqualTo("http://127.0.0.1:4321/");
    assertThat(config.getAutoOAuthToken()).isEqualTo("t\"ok");
    assertThat(config.getNamespace()).isEqualTo("team-a");
    assertThat(config.isTrustCerts()).isFalse();
  }

  @Test
  void anHttpsServerIsTrustedWithoutANamespace(@TempDir Path dir) throws Exception {
    Path file =
        Kubeconfig.write(dir.resolve("kubeconfig"), "https://127.0.0.1:4321", "bench", null);

    Config config = Config.fromKubeconfig(java.nio.file.Files.readString(file));

    assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:4321/");
    assertThat(config.isTrustCerts()).isTrue();
    assertThat(config.getNamespace()).isNull();
  }
}
