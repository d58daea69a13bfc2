package io.cloudelements.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.PrinterColumnOrder;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The printer columns of the committed CRD, and the build step that orders them. */
class PrinterColumnOrderTest {

  private static final Path BASEDIR =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  private static final Path COMMITTED = BASEDIR.resolve("crds").resolve(CrdValidator.CRD_FILE_NAME);

  /** What {@code kubectl get cmi} shows after NAME, on a cluster with the committed CRD. */
  @ParameterizedTest
  @ValueSource(strings = {"crds", "helm/campaign-monitor-operator/crds", "deploy/crds"})
  void theInstalledCrdsShowReadyFirstAndAgeLast(String dir) throws IOException {
    List<CustomResourceColumnDefinition> columns =
        columns(Files.readString(BASEDIR.resolve(dir).resolve(CrdValidator.CRD_FILE_NAME)));

    assertThat(columns)
        .filteredOn(c -> c.getPriority() == null || c.getPriority() == 0)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("READY", "REASON", "INSTANCE-ID", "SECRET", "AGE");
    assertThat(columns)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactlyElementsOf(
            PrinterColumnOrder.declaredColumnNames(CampaignMonitorInstance.class));
  }

  @Test
  void theGeneratorsJsonPathOrderBecomesTheDeclarationOrderAndNothingElseChanges()
      throws IOException {
    String ordered = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    String sortedByJsonPath =
        ordered
            .replace(block(ordered, "AGE"), "")
            .replace(block(ordered, "READY"), block(ordered, "AGE") + block(ordered, "READY"));
    assertThat(columns(sortedByJsonPath))
        .extracting(CustomResourceColumnDefinition::getName)
        .startsWith("AGE", "READY");

    assertThat(PrinterColumnOrder.reorder(sortedByJsonPath, CampaignMonitorInstance.class))
        .isEqualTo(ordered);
  }

  @Test
  void reorderingAnOrderedCrdChangesNoByte() throws IOException {
    String ordered = Files.readString(COMMITTED, StandardCharsets.UTF_8);

    assertThat(PrinterColumnOrder.reorder(ordered, CampaignMonitorInstance.class))
        .isEqualTo(ordered);
  }

  @Test
  void aColumnNotDeclaredOnTheClassIsABuildError() throws IOException {
    String ordered = Files.readString(COMMITTED, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> PrinterColumnOrder.reorder(ordered, OnlyAge.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printer column READY of campaignmonitorinstances.cloudelements.io")
        .hasMessageContaining(
            "not declared with @AdditionalPrinterColumn on " + OnlyAge.class.getName());
  }

  @Test
  void declaredNamesFollowTheSourceOrder() {
    assertThat(PrinterColumnOrder.declaredColumnNames(TwoColumns.class))
        .containsExactly("ZULU", "ALPHA");
  }

  /**
   * The lines of one column: its "- jsonPath" line up to the next column or the version's "name:".
   */
  private static String block(String crd, String name) {
    String[] lines = crd.split("\n", -1);
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].equals("      name: \"" + name + "\"")) {
        StringBuilder block = new StringBuilder(lines[i - 1]).append('\n');
        for (int j = i; !lines[j].startsWith("    - ") && !lines[j].startsWith("    name:"); j++) {
          block.append(lines[j]).append('\n');
        }
        return block.toString();
      }
    }
    throw new AssertionError("no column " + name);
  }

  private static List<CustomResourceColumnDefinition> columns(String crdYaml) {
    return new KubernetesSerialization()
        .unmarshal(crdYaml, CustomResourceDefinition.class)
        .getSpec()
        .getVersions()
        .get(0)
        .getAdditionalPrinterColumns();
  }

  @AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp")
  private static final class OnlyAge {}

  @AdditionalPrinterColumn(name = "ZULU", jsonPath = ".a")
  @AdditionalPrinterColumn(name = "ALPHA", jsonPath = ".b")
  private static final class TwoColumns {}
}
