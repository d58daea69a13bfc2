package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The Tables the API server prints for the built-in types the demo shows (its printers in
 * kubernetes/pkg/printers/internalversion): kubectl has no printer of its own for them any more,
 * and without a Table it shows only NAME and AGE.
 */
final class BuiltInTables {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Column(
      String name,
      String type,
      String format,
      int priority,
      String description,
      BiFunction<JsonNode, Instant, Object> cell) {}

  private record Layout(List<Column> columns) implements TableLayout {

    @Override
    public ArrayNode columnDefinitions() {
      ArrayNode definitions = JSON.createArrayNode();
      for (Column column : columns) {
        ObjectNode definition = definitions.addObject();
        definition.put("name", column.name());
        definition.put("type", column.type());
        definition.put("format", column.format());
        definition.put("description", column.description());
        definition.put("priority", column.priority());
      }
      return definitions;
    }

    @Override
    public ArrayNode cells(JsonNode object, Instant now) {
      ArrayNode cells = JSON.createArrayNode();
      for (Column column : columns) {
        cells.add(JSON.valueToTree(column.cell().apply(object, now)));
      }
      return cells;
    }
  }

  private static final Column NAME =
      new Column(
          "Name",
          "string",
          "name",
          0,
          "Name must be unique within a namespace.",
          (o, now) -> o.path("metadata").path("name").asText());
  private static final Column AGE =
      new Column(
          "Age",
          "string",
          "",
          0,
          "CreationTimestamp is a timestamp representing the server time when this object was created.",
          (o, now) ->
              HumanDuration.since(o.path("metadata").path("creationTimestamp").asText(null), now));

  private static final Map<Class<? extends HasMetadata>, TableLayout> LAYOUTS =
      Map.of(
          Event.class,
              new Layout(
                  List.of(
                      new Column(
                          "Last Seen",
                          "string",
                          "",
                          0,
                          "The time at which the most recent occurrence of this event was "
                              + "recorded.",
                          BuiltInTables::lastSeen),
                      text("Type", 0, "Type of this event (Normal, Warning).", "type"),
                      text(
                          "Reason",
                          0,
                          "The reason for the transition into the object's current status.",
                          "reason"),
                      new Column(
                          "Object",
                          "string",
                          "",
                          0,
                          "The object that this event is about.",
                          BuiltInTables::object),
                      text(
                          "Subobject",
                          1,
                          "The field of the object this event is about.",
                          "involvedObject",
                          "fieldPath"),
                      new Column(
                          "Source",
                          "string",
                          "",
                          1,
                          "The component reporting this event.",
                          BuiltInTables::source),
                      new Column(
                          "Message",
                          "string",
                          "",
                          0,
                          "A human-readable description of the status of this operation.",
                          (o, now) -> o.path("message").asText().strip()),
                      new Column(
                          "First Seen",
                          "string",
                          "",
                          1,
                          "The time at which the event was first recorded.",
                          (o, now) ->
                              HumanDuration.since(o.path("firstTimestamp").asText(null), now)),
                      new Column(
                          "Count",
                          "string",
                          "",
                          1,
                          "The number of times this event has occurred.",
                          (o, now) ->
                              o.path("count").asLong(0) == 0 ? 1 : o.path("count").asLong()),
                      new Column(
                          "Name",
                          "string",
                          "name",
                          1,
                          "Name must be unique within a namespace.",
                          (o, now) -> o.path("metadata").path("name").asText()))),
          Secret.class,
              new Layout(
                  List.of(
                      NAME,
                      text("Type", 0, "The type of secret", "type"),
                      new Column(
                          "Data",
                          "string",
                          "",
                          0,
                          "The number of keys in the secret.",
                          BuiltInTables::secretKeys),
                      AGE)),
          ConfigMap.class,
              new Layout(
                  List.of(
                      NAME,
                      new Column(
                          "Data",
                          "string",
                          "",
                          0,
                          "The number of keys in the config map.",
                          (o, now) -> o.path("data").size() + o.path("binaryData").size()),
                      AGE)),
          Namespace.class,
              new Layout(
                  List.of(
                      NAME,
                      new Column(
                          "Status",
                          "string",
                          "",
                          0,
                          "The status of the namespace",
                          (o, now) -> o.path("status").path("phase").asText("Active")),
                      AGE)));

  private BuiltInTables() {}

  static Optional<TableLayout> of(ServedResource resource) {
    return LAYOUTS.entrySet().stream()
        .filter(
            e ->
                HasMetadata.getApiVersion(e.getKey()).equals(resource.groupVersion())
                    && HasMetadata.getKind(e.getKey()).equals(resource.kind()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static Column text(String name, int priority, String description, String... path) {
    return new Column(
        name,
        "string",
        "",
        priority,
        description,
        (o, now) -> {
          JsonNode node = o;
          for (String part : path) {
            node = node.path(part);
          }
          return node.asText();
        });
  }

  private static String lastSeen(JsonNode event, Instant now) {
    String last = event.path("lastTimestamp").asText(null);
    String first = event.path("firstTimestamp").asText(event.path("eventTime").asText(null));
    JsonNode series = event.path("series");
    if (!series.isMissingNode() && !series.isNull()) {
      return HumanDuration.since(series.path("lastObservedTime").asText(null), now);
    }
    return HumanDuration.since(last != null ? last : first, now);
  }

  private static String object(JsonNode event, Instant now) {
    JsonNode involved = event.path("involvedObject");
    String kind = involved.path("kind").asText().toLowerCase();
    String name = involved.path("name").asText();
    return name.isEmpty() ? kind : kind + "/" + name;
  }

  private static String source(JsonNode event, Instant now) {
    String component =
        firstNonEmpty(
            event.path("source").path("component").asText(),
            event.path("reportingComponent").asText());
    String instance =
        firstNonEmpty(
            event.path("source").path("host").asText(), event.path("reportingInstance").asText());
    if (component.isEmpty()) {
      return "";
    }
    return instance.isEmpty() ? component : component + ", " + instance;
  }

  /**
   * The keys a real API server would hold: it moves stringData into data on write, which the mock
   * server does not, so both count.
   */
  private static int secretKeys(JsonNode secret, Instant now) {
    Set<String> keys = new HashSet<>();
    secret.path("data").fieldNames().forEachRemaining(keys::add);
    secret.path("stringData").fieldNames().forEachRemaining(keys::add);
    return keys.size();
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }
}
