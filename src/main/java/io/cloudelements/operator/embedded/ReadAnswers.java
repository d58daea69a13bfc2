package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the mock store answers to a read, made into what kubectl expects: typed lists, field
 * selectors on any field, server-side Tables.
 */
final class ReadAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ServedResource> resources;
  private final ServerSideTables tables;

  ReadAnswers(List<ServedResource> resources, ServerSideTables tables) {
    this.resources = resources;
    this.tables = tables;
  }

  /**
   * The mock store matches no object on a field it does not know (involvedObject.name); {@link
   * #shape} filters.
   */
  static RecordedRequest withoutFieldSelector(RecordedRequest request) {
    String query = ResourcePath.query(request.getPath());
    if (Selector.parameter(query, "fieldSelector").isEmpty()) {
      return request;
    }
    String kept =
        String.join(
            "&",
            Arrays.stream(query.split("&"))
                .filter(pair -> !pair.startsWith("fieldSelector="))
                .toList());
    String path = ResourcePath.bare(request.getPath()) + (kept.isEmpty() ? "" : "?" + kept);
    return new RecordedRequest(
        request.getHttpVersion(), request.method(), path, request.getHeaders(), request.getBody());
  }

  /**
   * A stored object or list as the request asks for it: a list as {@code <Kind>List}, filtered by
   * its field selector (the store has applied the label selector), as a Table when asked for one.
   */
  MockResponse shape(RecordedRequest request, MockResponse stored) {
    Optional<ResourcePath> path = ResourcePath.parse(request.getPath(), resources);
    if (stored.code() != 200 || path.isEmpty()) {
      return stored;
    }
    String query = ResourcePath.query(request.getPath());
    boolean table =
        ServerSideTables.wantsTable(request.getHeader("Accept"))
            && tables.hasTable(path.get().resource());
    try {
      Optional<Selector> fields = Selector.fields(query);
      JsonNode body = JSON.readTree(stored.getBody().readUtf8());
      if (body.path("items").isArray()) {
        // The mock answers every list as kind List; typed clients (kubectl describe's Events) need
        // <Kind>List.
        ((ObjectNode) body).put("kind", path.get().resource().kind() + "List");
        ((ObjectNode) body).put("apiVersion", path.get().resource().groupVersion());
        ArrayNode kept = JSON.createArrayNode();
        body.path("items")
            .forEach(
                item -> {
                  if (fields.map(s -> s.matches(item)).orElse(true)) {
                    kept.add(item);
                  }
                });
        ((ObjectNode) body).set("items", kept);
      }
      if (table) {
        String includeObject = Selector.parameter(query, "includeObject").orElse("Metadata");
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", ServerSideTables.TABLE_CONTENT_TYPE)
            .setBody(
                tables
                    .table(path.get().resource(), body, includeObject, Instant.now())
                    .orElseThrow());
      }
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(body.toString());
    } catch (IOException | IllegalArgumentException e) {
      return HttpWatch.status(400, "BadRequest", e.getMessage());
    }
  }
}
