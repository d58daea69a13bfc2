package io.cloudelements.operator.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the kubeconfig that points a client (kubectl, the operator's {@code run} command) at an
 * embedded API server: one cluster, one user with a bearer token, one context. An https server is
 * the mock's self-signed one, so its certificate is not verified.
 */
public final class Kubeconfig {

  private static final String NAME = "embedded";

  private Kubeconfig() {}

  /**
   * @param file where to write it (replaced)
   * @param server the API server's URL
   * @param token the bearer token the user presents
   * @param namespace the context's namespace; null for none
   * @return {@code file}
   */
  public static Path write(Path file, String server, String token, String namespace) {
    try {
      Files.writeString(file, yaml(server, token, namespace), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the kubeconfig " + file, e);
    }
  }

  /** A kubeconfig in a new temporary file whose name starts with {@code prefix}. */
  public static Path writeTemporary(String prefix, String server, String token, String namespace) {
    try {
      return write(Files.createTempFile(prefix, ".kubeconfig"), server, token, namespace);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary kubeconfig", e);
    }
  }

  static String yaml(String server, String token, String namespace) {
    String url = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    String tls = url.startsWith("https:") ? ", insecure-skip-tls-verify: true" : "";
    String ns = namespace == null ? "" : ", namespace: " + quoted(namespace);
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster: {server: %2$s%3$s}
        users:
        - name: %1$s
          user: {token: %4$s}
        contexts:
        - name: %1$s
          context: {cluster: %1$s, user: %1$s%5$s}
        current-context: %1$s
        """
        .formatted(NAME, quoted(url), tls, quoted(token), ns);
  }

  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
