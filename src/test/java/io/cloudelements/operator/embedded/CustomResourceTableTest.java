package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A CRD's printer columns as the API server turns them into a Table. */
class CustomResourceTableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CustomResourceDefinitionVersion version =
      new CustomResourceDefinitionVersionBuilder()
          .withName("v1")
          .addToAdditionalPrinterColumns(
              column("PHASE", "string", 0, ".status.conditions[?(@.type==\"Ready\")].reason"),
              column("URL", "string", 1, ".status.url"),
              column("COUNT", "integer", 0, ".spec.count"),
              column("ON", "boolean", 0, ".spec.on"),
              column("SPEC", "string", 1, ".spec.nested"),
              column("AGE", "date", 0, ".metadata.creationTimestamp"))
          .build();

  @Test
  void nameFirstThenTheColumnsInCrdOrderWithTheirPriority() {
    JsonNode definitions = new CustomResourceTable(version).columnDefinitions();

    assertThat(definitions.findValuesAsText("name"))
        .containsExactly("Name", "PHASE", "URL", "COUNT", "ON", "SPEC", "AGE");
    assertThat(definitions.get(0).path("format").asText()).isEqualTo("name");
    assertThat(definitions.get(2).path("priority").asInt()).isEqualTo(1);
    assertThat(definitions.get(3).path("type").asText()).isEqualTo("integer");
    assertThat(definitions.get(6).path("description").asText())
        .isEqualTo(
            "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp");
  }

  @Test
  void cellsAreTheFirstMatchTypedAsTheColumnSays() throws Exception {
    JsonNode object =
        JSON.readTree(
            """
        {"metadata": {"name": "x", "creationTimestamp": "2026-01-01T00:00:00Z"},
         "spec": {"count": 7, "on": true, "nested": {"a": 1}},
         "status": {"conditions": [{"type": "Other", "reason": "No"}, {"type": "Ready", "reason": "Available"}]}}
        """);

    JsonNode cells =
        new CustomResourceTable(version).cells(object, Instant.parse("2026-01-01T00:05:30Z"));

    assertThat(cells.get(0).asText()).isEqualTo("x");
    assertThat(cells.get(1).asText()).isEqualTo("Available");
    assertThat(cells.get(2).isNull()).as("no status.url").isTrue();
    assertThat(cells.get(3).isIntegralNumber()).isTrue();
    assertThat(cells.get(3).asInt()).isEqualTo(7);
    assertThat(cells.get(4).isBoolean()).isTrue();
    assertThat(cells.get(5).asText()).isEqualTo("{\"a\":1}");
    assertThat(cells.get(6).asText()).isEqualTo("5m30s");
  }

  private static io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition
      column(String name, String type, int priority, String jsonPath) {
    return new CustomResourceColumnDefinitionBuilder()
        .withName(name)
        .withType(type)
        .withPriority(priority)
        .withJsonPath(jsonPath)
        .build();
  }
}
