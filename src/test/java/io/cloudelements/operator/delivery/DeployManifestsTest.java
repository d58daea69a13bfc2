package io.cloudelements.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/ installs the same thing as the Helm chart with its defaults, for {@code kubectl apply -k
 * deploy/}: deploy/operator.yaml is the chart's default render (release and namespace {@value
 * #NAME}) without the Helm-only labels, plus a Namespace and the CRD.
 *
 * <p>After changing the chart, regenerate it with: {@code mvn -q test -Dtest=DeployManifestsTest
 * -Ddeploy.update=true}
 */
class DeployManifestsTest {

  static final String NAME = "campaign-monitor-operator";
  static final Path DEPLOY = HelmChart.BASEDIR.resolve("deploy");
  static final Path OPERATOR_YAML = DEPLOY.resolve("operator.yaml");
  static final String CRD_FILE = "campaignmonitorinstances.cloudelements.io-v1.yml";
  static final Path COMMITTED_CRD = HelmChart.BASEDIR.resolve("crds").resolve(CRD_FILE);
  private static final Pattern HELM_ONLY_LABEL_LINE =
      Pattern.compile("(?m)^\\s+(helm\\.sh/chart|app\\.kubernetes\\.io/managed-by): .*\\n");

  private static String chartDefaults() {
    return HelmChart.template(NAME, NAME, HelmChart.valueSet("default"));
  }

  /**
   * With -Ddeploy.update=true: rewrites deploy/operator.yaml first (the build copies deploy/crds/
   * itself).
   */
  @BeforeAll
  static void updateWhenAsked() throws IOException {
    if (Boolean.getBoolean("deploy.update")) {
      Files.writeString(OPERATOR_YAML, generatedOperatorYaml());
    }
  }

  @Test
  void operatorYamlIsTheChartsDefaultRender() {
    assertThat(OPERATOR_YAML).as("deploy/operator.yaml").isRegularFile();
    List<HasMetadata> chart =
        Manifests.parseTyped("chart defaults", Manifests.documents(chartDefaults()));
    List<HasMetadata> deploy =
        Manifests.parseTyped("deploy/operator.yaml", Manifests.documents(OPERATOR_YAML));
    assertSameObjects(Manifests.byIdentity(chart), Manifests.byIdentity(deploy));
    for (HasMetadata r : deploy) {
      assertThat(r.getMetadata().getLabels())
          .as(Manifests.identity(r))
          .doesNotContainKeys(Manifests.HELM_ONLY_LABELS.toArray(String[]::new));
    }
  }

  @Test
  void kustomizationListsEveryManifestOnce() throws IOException {
    JsonNode kustomization = Manifests.documents(DEPLOY.resolve("kustomization.yaml")).get(0);
    assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(n -> resources.add(n.asText()));
    assertThat(resources).containsExactly("namespace.yaml", "crds/" + CRD_FILE, "operator.yaml");
    assertThat(kustomization.has("namespace"))
        .as("no namespace transformer: every manifest names its namespace, as the chart renders it")
        .isFalse();
    List<String> files;
    try (Stream<Path> walk = Files.walk(DEPLOY)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(p -> DEPLOY.relativize(p).toString())
              .filter(p -> !p.equals("kustomization.yaml"))
              .sorted()
              .toList();
    }
    assertThat(files).as("files under deploy/").containsExactlyInAnyOrderElementsOf(resources);
  }

  @Test
  void namespaceEnforcesTheRestrictedPodSecurityStandard() {
    List<HasMetadata> ns =
        Manifests.parseTyped(
            "deploy/namespace.yaml", Manifests.documents(DEPLOY.resolve("namespace.yaml")));
    assertThat(ns).singleElement().isInstanceOf(Namespace.class);
    assertThat(ns.get(0).getMetadata().getName()).isEqualTo(NAME);
    assertThat(ns.get(0).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  /**
   * Real kustomize (kubectl kustomize) renders deploy/ into the namespace, the CRD and exactly the
   * chart's default objects. Runs when a kubectl is found: $KUBECTL, the one that
   * scripts/check-delivery.sh installs, or kubectl on the PATH.
   */
  @Test
  void kubectlKustomizeRendersTheSameAsTheChart() throws Exception {
    Optional<String> kubectl = kubectl();
    assumeTrue(
        kubectl.isPresent(), "no kubectl found (set KUBECTL, or run scripts/check-delivery.sh)");
    Process p =
        new ProcessBuilder(kubectl.get(), "kustomize", DEPLOY.toString())
            .redirectErrorStream(false)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize deploy/: " + err).isZero();

    List<HasMetadata> rendered =
        Manifests.parseTyped(
            "kubectl kustomize deploy/",
            Manifests.documents(new String(out, StandardCharsets.UTF_8)));
    assertThat(rendered.get(0))
        .as("kustomize orders the Namespace first")
        .isInstanceOf(Namespace.class);
    assertThat(rendered.get(1)).isInstanceOf(CustomResourceDefinition.class);
    List<HasMetadata> rest = rendered.subList(2, rendered.size());
    List<HasMetadata> chart =
        Manifests.parseTyped("chart defaults", Manifests.documents(chartDefaults()));
    assertSameObjects(Manifests.byIdentity(chart), Manifests.byIdentity(rest));

    CustomResourceDefinition committed =
        Manifests.SERIALIZATION.unmarshal(
            Files.readString(COMMITTED_CRD), CustomResourceDefinition.class);
    assertThat(Manifests.SERIALIZATION.convertValue(rendered.get(1), JsonNode.class))
        .isEqualTo(Manifests.SERIALIZATION.convertValue(committed, JsonNode.class));
  }

  static Optional<String> kubectl() {
    List<String> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("KUBECTL")).ifPresent(candidates::add);
    String cache =
        Optional.ofNullable(System.getenv("DELIVERY_TOOLS"))
            .orElse(System.getProperty("user.home") + "/.cache/campaign-monitor-operator/tools");
    candidates.add(cache + "/bin/kubectl");
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(dir + "/kubectl");
      }
    }
    for (String c : candidates) {
      Path path = Path.of(c);
      if (Files.isExecutable(path) && supportsKustomize(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static boolean supportsKustomize(String kubectl) {
    try {
      Process p =
          new ProcessBuilder(kubectl, "kustomize", "--help").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String generatedOperatorYaml() {
    String body = HELM_ONLY_LABEL_LINE.matcher(chartDefaults()).replaceAll("");
    body =
        body.replace(
            "# Source: campaign-monitor-operator/templates/",
            "# From helm/campaign-monitor-operator/templates/");
    return "# The Campaign Monitor operator, as the Helm chart installs it with its default values (release and\n"
        + "# namespace "
        + NAME
        + "), for `kubectl apply -k deploy/`. Generated: do not edit by hand.\n"
        + "# Regenerate after changing the chart: mvn -q test -Dtest=DeployManifestsTest -Ddeploy.update=true\n"
        + body;
  }

  private static void assertSameObjects(
      Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
    assertThat(actual.keySet())
        .as("resources (kind namespace/name)")
        .containsExactlyElementsOf(expected.keySet());
    List<String> differences = new ArrayList<>();
    expected.forEach(
        (id, e) -> {
          if (!e.equals(actual.get(id))) {
            differences.add(id + ":\n    chart:  " + e + "\n    deploy: " + actual.get(id));
          }
        });
    if (!differences.isEmpty()) {
      fail(
          "deploy/ differs from the chart's defaults (regenerate: mvn -q test -Dtest=DeployManifestsTest"
              + " -Ddeploy.update=true):\n  "
              + String.join("\n  ", differences));
    }
  }
}
