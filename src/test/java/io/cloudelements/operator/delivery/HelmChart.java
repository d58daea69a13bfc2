package io.cloudelements.operator.delivery;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart under helm/campaign-monitor-operator, linted and rendered by real Helm (3.x, the Go
 * library itself, loaded through JNI by helm-java).
 */
final class HelmChart {

  static final Path BASEDIR =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  static final Path CHART = BASEDIR.resolve("helm/campaign-monitor-operator");
  static final Path VALUE_SETS = CHART.resolve("ci");
  static final String NAMESPACE = "cmo-system";
  static final String RELEASE = "cmo";

  /**
   * helm-java's library defaults to Kubernetes 1.20; the chart needs 1.25 or later (CEL in the
   * CRD).
   */
  static final String KUBE_VERSION = "1.33.0";

  private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

  private HelmChart() {}

  /** A value set of the chart's ci/ directory, e.g. "ha" for ci/ha-values.yaml. */
  static Path valueSet(String name) {
    Path file = VALUE_SETS.resolve(name + "-values.yaml");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(BASEDIR.relativize(file) + " is missing");
    }
    return file;
  }

  /** {@code helm template <release> <chart> --namespace <ns> -f <values>...}, cached. */
  static synchronized String template(String release, String namespace, Path... valuesFiles) {
    StringBuilder key = new StringBuilder(release).append('|').append(namespace);
    for (Path f : valuesFiles) {
      key.append('|').append(f);
    }
    return RENDERED.computeIfAbsent(
        key.toString(),
        k -> {
          TemplateCommand command =
              new Helm(CHART)
                  .template()
                  .withName(release)
                  .withNamespace(namespace)
                  .withKubeVersion(KUBE_VERSION);
          for (Path f : valuesFiles) {
            command = command.withValuesFile(f);
          }
          return command.call();
        });
  }

  /**
   * Renders a value set of ci/ with release {@link #RELEASE} in namespace {@link #NAMESPACE},
   * typed.
   */
  static List<HasMetadata> render(String valueSet) {
    String yaml = template(RELEASE, NAMESPACE, valueSet(valueSet));
    return Manifests.parseTyped(
        "helm template -f ci/" + valueSet + "-values.yaml", Manifests.documents(yaml));
  }

  /** Renders with an ad-hoc values file (for negative cases); throws what Helm reports. */
  static String templateWith(String valuesYaml) throws Exception {
    Path file = Files.createTempFile("values-", ".yaml");
    try {
      Files.writeString(file, valuesYaml);
      return new Helm(CHART)
          .template()
          .withName(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeVersion(KUBE_VERSION)
          .withValuesFile(file)
          .call();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** {@code helm lint --strict <chart>} with the chart's default values. */
  static LintResult lintStrict() {
    return new Helm(CHART).lint().strict().call();
  }
}
