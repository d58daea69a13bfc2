package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A field selector ({@code involvedObject.name=x,type!=Normal}) or an equality-based label selector
 * ({@code app=x,tier!=db,present,!absent}), matched against an object's JSON. The mock server's own
 * CRUD store understands only {@code metadata.name} and {@code metadata.namespace}; kubectl
 * describe filters Events by {@code involvedObject.*} and kubectl wait watches by {@code
 * metadata.name}. A field that is absent is "", as in the API server.
 */
final class Selector {

  private enum Operator {
    EQUALS,
    NOT_EQUALS,
    EXISTS,
    NOT_EXISTS
  }

  private record Requirement(String key, Operator operator, String value) {}

  private final List<Requirement> requirements;
  private final boolean labels;

  private Selector(List<Requirement> requirements, boolean labels) {
    this.requirements = requirements;
    this.labels = labels;
  }

  /** The field selector of a query string, empty when it has none. */
  static Optional<Selector> fields(String query) {
    return parameter(query, "fieldSelector").map(s -> parse(s, false));
  }

  /** The label selector of a query string, empty when it has none. */
  static Optional<Selector> labels(String query) {
    return parameter(query, "labelSelector").map(s -> parse(s, true));
  }

  static Optional<String> parameter(String query, String name) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name) && eq >= 0) {
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return value.isBlank() ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  static Selector parse(String selector, boolean labels) {
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      String t = term.strip();
      if (t.isEmpty()) {
        continue;
      }
      int ne = t.indexOf("!=");
      int eq = t.indexOf('=');
      if (ne >= 0) {
        requirements.add(
            new Requirement(
                t.substring(0, ne).strip(), Operator.NOT_EQUALS, t.substring(ne + 2).strip()));
      } else if (eq >= 0) {
        int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
        requirements.add(
            new Requirement(
                t.substring(0, eq).strip(), Operator.EQUALS, t.substring(valueStart).strip()));
      } else if (labels && t.startsWith("!")) {
        requirements.add(new Requirement(t.substring(1).strip(), Operator.NOT_EXISTS, ""));
      } else if (labels) {
        requirements.add(new Requirement(t, Operator.EXISTS, ""));
      } else {
        throw new IllegalArgumentException("invalid field selector term '" + t + "'");
      }
    }
    return new Selector(List.copyOf(requirements), labels);
  }

  boolean matches(JsonNode object) {
    for (Requirement requirement : requirements) {
      JsonNode node =
          labels
              ? object.path("metadata").path("labels").path(requirement.key())
              : field(object, requirement.key());
      String actual = node.isValueNode() ? node.asText() : "";
      boolean present = labels ? !node.isMissingNode() : true;
      boolean ok =
          switch (requirement.operator()) {
            case EQUALS -> present && actual.equals(requirement.value());
            case NOT_EQUALS -> !present || !actual.equals(requirement.value());
            case EXISTS -> present;
            case NOT_EXISTS -> !present;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode field(JsonNode object, String dottedPath) {
    JsonNode node = object;
    for (String part : dottedPath.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }
}
