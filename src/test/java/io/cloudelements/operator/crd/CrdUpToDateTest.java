package io.cloudelements.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD is generated from the API classes at build time (crd-generator-maven-plugin, phase
 * process-classes) and copied by the build (maven-resources-plugin) to the three places that
 * install it: crds/, the Helm chart's crds/ and deploy/crds/. All three are committed; this test
 * fails when a copy differs from the generated CRD, .ci/run fails when the build changed a
 * committed copy, and the test pins the public contract (names, scope, subresources, printer
 * columns) users rely on.
 */
class CrdUpToDateTest {

  private static final Path BASEDIR =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  private static final String FILE = CrdValidator.CRD_FILE_NAME;
  private static final Path GENERATED =
      BASEDIR.resolve("target/classes").resolve(CrdValidator.GENERATED_CRD_RESOURCE);
  private static final Path COMMITTED = BASEDIR.resolve("crds").resolve(FILE);
  private static final Path HELM_CRDS = BASEDIR.resolve("helm/campaign-monitor-operator/crds");
  private static final Path DEPLOY_CRDS = BASEDIR.resolve("deploy/crds");

  private static CustomResourceDefinition crd;

  @BeforeAll
  static void loadGeneratedCrd() throws IOException {
    assertThat(GENERATED)
        .as("generated CRD (run 'mvn process-classes' so crd-generator-maven-plugin writes it)")
        .isRegularFile();
    try (InputStream in = Files.newInputStream(GENERATED)) {
      crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
  }

  @Test
  void committedCrdIsIdenticalToGeneratedCrd() throws IOException {
    assertIdenticalToGenerated(COMMITTED);
  }

  @Test
  void helmChartCrdIsIdenticalToGeneratedCrd() throws IOException {
    assertIdenticalToGenerated(HELM_CRDS.resolve(FILE));
  }

  @Test
  void deployCrdIsIdenticalToGeneratedCrd() throws IOException {
    assertIdenticalToGenerated(DEPLOY_CRDS.resolve(FILE));
  }

  private static void assertIdenticalToGenerated(Path copy) throws IOException {
    String fix =
        "Run 'mvn -q process-classes' (it copies the generated CRD to all three places) and commit the copy";
    if (!Files.isRegularFile(copy)) {
      fail(BASEDIR.relativize(copy) + " is missing. " + fix);
    }
    byte[] generated = Files.readAllBytes(GENERATED);
    byte[] committed = Files.readAllBytes(copy);
    if (!Arrays.equals(generated, committed)) {
      fail(
          BASEDIR.relativize(copy)
              + " differs from the CRD generated from the API classes ("
              + BASEDIR.relativize(GENERATED)
              + "); "
              + firstDifference(committed, generated)
              + "\n"
              + fix);
    }
  }

  private static String firstDifference(byte[] committed, byte[] generated) {
    String[] a = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
    String[] b = new String(generated, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String left = i < a.length ? a[i] : "<end of file>";
      String right = i < b.length ? b[i] : "<end of file>";
      if (!left.equals(right)) {
        return "first difference at line "
            + (i + 1)
            + ":\n  copy:      "
            + left
            + "\n  generated: "
            + right;
      }
    }
    return "the files differ only in bytes that do not show as lines (encoding or line endings)";
  }

  @Test
  void namesAndScope() {
    assertThat(crd.getMetadata().getName()).isEqualTo("campaignmonitorinstances.cloudelements.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("cloudelements.io");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("CampaignMonitorInstance");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("campaignmonitorinstances");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("campaignmonitorinstance");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("cmi");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("cloudelements");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
  }

  @Test
  void singleServedStorageVersionWithStatusSubresource() {
    assertThat(crd.getSpec().getVersions())
        .extracting(
            CustomResourceDefinitionVersion::getName,
            CustomResourceDefinitionVersion::getServed,
            CustomResourceDefinitionVersion::getStorage)
        .containsExactly(tuple("v1alpha1", true, true));
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getSubresources()).as("subresources").isNotNull();
    assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
    assertThat(version.getSubresources().getScale()).as("scale subresource").isNull();
  }

  /**
   * Names, jsonPaths and types. Their order is PrinterColumnOrderTest's concern (the generator
   * sorts them by jsonPath; a build step puts them in declaration order).
   */
  @Test
  void printerColumns() {
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType,
            CustomResourceColumnDefinition::getPriority)
        .containsExactlyInAnyOrder(
            tuple("READY", ".status.conditions[?(@.type==\"Ready\")].status", "string", 0),
            tuple("REASON", ".status.conditions[?(@.type==\"Ready\")].reason", "string", 0),
            tuple("INSTANCE-ID", ".status.instanceId", "integer", 0),
            tuple("SECRET", ".status.secretName", "string", 0),
            tuple("CONSENT-URL", ".status.authorization.url", "string", 1),
            tuple("AGE", ".metadata.creationTimestamp", "date", 0));
  }
}
