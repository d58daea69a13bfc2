package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The server-side Table of a custom resource, as the API server builds it from the CRD's
 * additionalPrinterColumns: a Name column first, then the CRD's columns in CRD order with their
 * type, format and priority; a cell is the first value the column's JSONPath finds, a {@code
 * string} cell is text, a {@code date} cell the age of the timestamp ("5m"), as the API server
 * renders it.
 */
final class CustomResourceTable implements TableLayout {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration JSON_PATH =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
          .build();

  private record Column(CustomResourceColumnDefinition definition, JsonPath path) {}

  private final List<Column> columns = new ArrayList<>();

  CustomResourceTable(CustomResourceDefinitionVersion version) {
    if (version.getAdditionalPrinterColumns() != null) {
      for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
        columns.add(new Column(column, JsonPath.compile("$" + column.getJsonPath())));
      }
    }
  }

  /** The column definitions, Name first. */
  @Override
  public ArrayNode columnDefinitions() {
    ArrayNode definitions = JSON.createArrayNode();
    ObjectNode name = definitions.addObject();
    name.put("name", "Name");
    name.put("type", "string");
    name.put("format", "name");
    name.put("description", "Name must be unique within a namespace.");
    name.put("priority", 0);
    for (Column column : columns) {
      CustomResourceColumnDefinition c = column.definition();
      ObjectNode definition = definitions.addObject();
      definition.put("name", c.getName());
      definition.put("type", c.getType());
      definition.put("format", c.getFormat() == null ? "" : c.getFormat());
      definition.put(
          "description",
          c.getDescription() != null
              ? c.getDescription()
              : "Custom resource definition column (in JSONPath format): " + c.getJsonPath());
      definition.put("priority", c.getPriority() == null ? 0 : c.getPriority());
    }
    return definitions;
  }

  /** The cells of one object's row, Name first. */
  @Override
  public ArrayNode cells(JsonNode object, Instant now) {
    ArrayNode cells = JSON.createArrayNode();
    cells.add(object.path("metadata").path("name").asText());
    for (Column column : columns) {
      JsonNode found = column.path().read(object, JSON_PATH);
      JsonNode first = found != null && found.isArray() && !found.isEmpty() ? found.get(0) : null;
      if (first == null || first.isNull()) {
        cells.addNull();
      } else if ("string".equals(column.definition().getType())) {
        cells.add(first.isValueNode() ? first.asText() : first.toString());
      } else if ("date".equals(column.definition().getType())) {
        cells.add(first.isTextual() ? HumanDuration.since(first.asText(), now) : null);
      } else {
        cells.add(first);
      }
    }
    return cells;
  }
}
