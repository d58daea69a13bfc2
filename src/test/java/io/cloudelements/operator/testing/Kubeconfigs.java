package io.cloudelements.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files for an operator started as a separate process against the test JVM's embedded API server. */
public final class Kubeconfigs {

  private Kubeconfigs() {
  }

  /** Writes {@code dir/kubeconfig} for the API server at {@code url}, authenticating with a bearer token. */
  public static Path write(Path dir, String url, String namespace, String token) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: "%s"
        users:
        - name: operator
          user:
            token: "%s"
        contexts:
        - name: embedded
          context:
            cluster: embedded
            user: operator
            namespace: "%s"
        current-context: embedded
        """.formatted(url, token, namespace);
    try {
      Path file = dir.resolve("kubeconfig");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
