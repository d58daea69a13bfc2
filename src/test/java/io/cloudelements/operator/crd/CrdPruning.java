package io.cloudelements.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server's pruning of a structural schema: fields the schema does not declare are dropped
 * (and returned, so that the caller can warn or reject), {@code null} values of non-{@code
 * nullable} fields are dropped silently, and {@code apiVersion}, {@code kind} and {@code metadata}
 * are kept at the root.
 */
final class CrdPruning {

  private static final Set<String> ROOT_FIELDS_KEPT = Set.of("apiVersion", "kind", "metadata");

  private CrdPruning() {}

  /** Prunes {@code node} in place; returns the paths of the unknown fields it dropped. */
  static List<String> prune(JsonNode schema, JsonNode node) {
    List<String> unknown = new ArrayList<>();
    prune(schema, node, "", true, unknown);
    return unknown;
  }

  private static void prune(
      JsonNode schema, JsonNode node, String path, boolean root, List<String> unknown) {
    if (schema == null || node == null) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) node).properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String childPath = join(path, field.getKey());
        JsonNode childSchema = childSchema(schema, field.getKey());
        if (childSchema != null) {
          if (field.getValue().isNull() && !childSchema.path("nullable").asBoolean(false)) {
            fields.remove();
          } else {
            prune(childSchema, field.getValue(), childPath, false, unknown);
          }
        } else if (!(root && ROOT_FIELDS_KEPT.contains(field.getKey()))) {
          unknown.add(childPath);
          fields.remove();
        }
      }
    } else if (node.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < node.size(); i++) {
        prune(schema.get("items"), node.get(i), path + "[" + i + "]", false, unknown);
      }
    }
  }

  /**
   * The schema of an object's field: a declared property, else the additionalProperties schema,
   * else null.
   */
  static JsonNode childSchema(JsonNode objectSchema, String field) {
    JsonNode declared = objectSchema.path("properties").get(field);
    if (declared != null) {
      return declared;
    }
    JsonNode additional = objectSchema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
