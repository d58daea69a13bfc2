package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} for the types that have a
 * table here: the custom resources, from their CRD, and the built-in types of {@link
 * BuiltInTables}. For other types the object or list goes back as it is, and kubectl prints NAME
 * and AGE itself.
 */
final class ServerSideTables {

  static final String TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<ServedResource, TableLayout> tables = new HashMap<>();

  ServerSideTables(List<ServedResource> resources) {
    for (ServedResource resource : resources) {
      resource
          .crdVersion()
          .<TableLayout>map(CustomResourceTable::new)
          .or(() -> BuiltInTables.of(resource))
          .ifPresent(layout -> tables.put(resource, layout));
    }
  }

  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  boolean hasTable(ServedResource resource) {
    return tables.containsKey(resource);
  }

  /**
   * The Table of a stored object or list (the body the store answered), with each row's object as
   * includeObject asks: Metadata (the default), Object or None.
   */
  Optional<String> table(
      ServedResource resource, JsonNode body, String includeObject, Instant now) {
    TableLayout table = tables.get(resource);
    if (table == null) {
      return Optional.empty();
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("kind", "Table");
    result.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = result.putObject("metadata");
    JsonNode listMeta =
        body.path("items").isArray() ? body.path("metadata") : JSON.createObjectNode();
    listMeta.fields().forEachRemaining(e -> metadata.set(e.getKey(), e.getValue()));
    result.set("columnDefinitions", table.columnDefinitions());
    ArrayNode rows = result.putArray("rows");
    Iterable<JsonNode> objects = body.path("items").isArray() ? body.path("items") : List.of(body);
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      row.set("cells", table.cells(object, now));
      switch (includeObject) {
        case "None" -> {}
        case "Object" -> row.set("object", object);
        default -> row.set("object", partialMetadata(object));
      }
    }
    return Optional.of(result.toString());
  }

  private static ObjectNode partialMetadata(JsonNode object) {
    ObjectNode partial = JSON.createObjectNode();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata"));
    return partial;
  }
}
