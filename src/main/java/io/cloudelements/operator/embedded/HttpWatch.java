package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Watches over plain HTTP, as kubectl (client-go) sends them; the mock server itself only watches
 * over WebSockets, as the Fabric8 client does. The mock server cannot hold a response open, so each
 * watch answers with the changes since the requested resource version and ends; with no change it
 * ends after {@link #QUIET}, and client-go watches again from where it was. That is a watch that
 * polls once a second: kubectl wait and kubectl delete see every change, one second late at most.
 */
final class HttpWatch {

  /**
   * How long a watch with nothing to report stays open; client-go treats a shorter empty watch as
   * an error.
   */
  static final Duration QUIET = Duration.ofMillis(1100);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChangeLog changes;
  private final List<ServedResource> resources;
  private final Function<String, MockResponse> lister;

  /**
   * @param lister answers a GET of a collection path from the store
   */
  HttpWatch(
      ChangeLog changes, List<ServedResource> resources, Function<String, MockResponse> lister) {
    this.changes = changes;
    this.resources = resources;
    this.lister = lister;
  }

  /** A GET with watch=true that is not a WebSocket upgrade. */
  static boolean isHttpWatch(RecordedRequest request) {
    String query = ResourcePath.query(request.getPath());
    String watch = Selector.parameter(query, "watch").orElse("");
    return "GET".equalsIgnoreCase(request.getMethod())
        && (watch.equals("true") || watch.equals("1"))
        && request.getHeader("Upgrade") == null;
  }

  MockResponse answer(RecordedRequest request) {
    Optional<ResourcePath> path = ResourcePath.parse(request.getPath(), resources);
    if (path.isEmpty() || path.get().name() != null) {
      return status(404, "NotFound", "no watchable collection at " + request.getPath());
    }
    ResourcePath collection = path.get();
    String query = ResourcePath.query(request.getPath());
    String since = Selector.parameter(query, "resourceVersion").orElse("0");
    StringBuilder events = new StringBuilder();
    try {
      Optional<Selector> fields = Selector.fields(query);
      Optional<Selector> labels = Selector.labels(query);
      if (since.equals("0")) {
        for (JsonNode item : current(collection)) {
          if (matches(item, collection, fields, labels)) {
            events.append(event(ChangeLog.Type.ADDED.name(), item));
          }
        }
      } else {
        List<ChangeLog.Change> after = changes.since(Long.parseLong(since));
        if (after == null) {
          return expired(since);
        }
        for (ChangeLog.Change change : after) {
          JsonNode object = JSON.readTree(change.object());
          if (matches(object, collection, fields, labels)) {
            events.append(event(change.type().name(), object));
          }
        }
      }
    } catch (NumberFormatException e) {
      return expired(since);
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    } catch (Exception e) {
      return status(500, "InternalError", "watch failed: " + e.getMessage());
    }
    if (events.isEmpty()) {
      // The mock server delays only a body that is not empty; a line break is an empty stream of
      // events.
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody("\n")
          .setBodyDelay(QUIET);
    }
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(events.toString());
  }

  private List<JsonNode> current(ResourcePath collection) throws Exception {
    MockResponse list = lister.apply(collection.collectionPath());
    JsonNode items = JSON.readTree(list.getBody().readUtf8()).path("items");
    return items.isArray()
        ? JSON.convertValue(
            items, JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class))
        : List.of();
  }

  private static boolean matches(
      JsonNode object,
      ResourcePath collection,
      Optional<Selector> fields,
      Optional<Selector> labels) {
    ServedResource type = collection.resource();
    return object.path("apiVersion").asText().equals(type.groupVersion())
        && object.path("kind").asText().equals(type.kind())
        && (collection.namespace() == null
            || collection.namespace().equals(object.path("metadata").path("namespace").asText()))
        && fields.map(s -> s.matches(object)).orElse(true)
        && labels.map(s -> s.matches(object)).orElse(true);
  }

  private static String event(String type, JsonNode object) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", type);
    event.set("object", object);
    return event + "\n";
  }

  private static MockResponse expired(String since) {
    String gone =
        "{\"type\":\"ERROR\",\"object\":"
            + statusJson(410, "Expired", "too old resource version: " + since)
            + "}\n";
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(gone);
  }

  static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(statusJson(code, reason, message));
  }

  private static String statusJson(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status.toString();
  }
}
