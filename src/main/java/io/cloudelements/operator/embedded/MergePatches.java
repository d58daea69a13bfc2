package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merge patches kubectl apply sends, made into the JSON Patch the mock server applies
 * correctly. The mock refuses a strategic merge patch (415), and merges a JSON merge patch with
 * arrays appended instead of replaced (RFC 7386), so re-applying {@code tags: [a, b]} would give
 * {@code [a, b, c, a, b]}. Here the merge is done as RFC 7386 says on the stored object, and the
 * difference goes to the store as a JSON Patch. A strategic merge patch means the same for the maps
 * and scalars of the built-in types the demo uses (Secrets, ConfigMaps) once its directives ({@code
 * $patch}, {@code $retainKeys}, {@code $setElementOrder/...}) are taken out; a list it sets is
 * replaced whole.
 */
final class MergePatches {

  private static final String STRATEGIC = "application/strategic-merge-patch+json";
  private static final String MERGE = "application/merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MergePatches() {}

  /** A PATCH of a whole object (not a subresource) with a strategic or JSON merge patch. */
  static boolean isMergePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    return "PATCH".equalsIgnoreCase(request.getMethod())
        && type != null
        && (type.startsWith(STRATEGIC) || type.startsWith(MERGE));
  }

  /**
   * The same change as a JSON Patch of the stored object, or empty when there is no stored object
   * (the store then answers 404 itself).
   */
  static Optional<RecordedRequest> asJsonPatch(RecordedRequest request, Optional<JsonNode> stored)
      throws IOException {
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    JsonNode patch = JSON.readTree(request.getUtf8Body());
    if (request.getHeader("Content-Type").startsWith(STRATEGIC)) {
      withoutDirectives(patch);
    }
    JsonNode merged = merge(stored.get().deepCopy(), patch);
    JsonNode jsonPatch = JsonDiff.asJson(stored.get(), merged);
    Headers headers = request.getHeaders().newBuilder().set("Content-Type", JSON_PATCH).build();
    return Optional.of(
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            headers,
            new Buffer(JSON.writeValueAsBytes(jsonPatch))));
  }

  /** RFC 7386: objects merge key by key, null removes, anything else (arrays too) replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
    patch
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isNull()) {
                result.remove(field.getKey());
              } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
              }
            });
    return result;
  }

  private static void withoutDirectives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives = new ArrayList<>();
      object
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (name.startsWith("$")) {
                  directives.add(name);
                }
              });
      object.remove(directives);
      object.forEach(MergePatches::withoutDirectives);
    } else if (node != null && node.isArray()) {
      node.forEach(MergePatches::withoutDirectives);
    }
  }
}
