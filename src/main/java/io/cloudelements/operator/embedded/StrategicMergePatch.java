package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl apply patches built-in types with a strategic merge patch, which the mock server refuses (415). For the
 * maps and scalars of the types here (Secrets, ConfigMaps) it means what a JSON merge patch means, once its
 * directives ({@code $patch}, {@code $retainKeys}, {@code $setElementOrder/...}) are taken out; a list it sets is
 * replaced whole.
 */
final class StrategicMergePatch {

  static final String CONTENT_TYPE = "application/strategic-merge-patch+json";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StrategicMergePatch() {
  }

  static boolean is(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    return "PATCH".equalsIgnoreCase(request.getMethod()) && type != null && type.startsWith(CONTENT_TYPE);
  }

  /** The same request as a JSON merge patch. */
  static RecordedRequest asMergePatch(RecordedRequest request) throws IOException {
    JsonNode patch = JSON.readTree(request.getUtf8Body());
    withoutDirectives(patch);
    Headers headers = request.getHeaders().newBuilder().set("Content-Type", MERGE_PATCH).build();
    return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), headers,
        new Buffer(JSON.writeValueAsBytes(patch)));
  }

  private static void withoutDirectives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives = new ArrayList<>();
      object.fieldNames().forEachRemaining(name -> {
        if (name.startsWith("$")) {
          directives.add(name);
        }
      });
      object.remove(directives);
      object.forEach(StrategicMergePatch::withoutDirectives);
    } else if (node != null && node.isArray()) {
      node.forEach(StrategicMergePatch::withoutDirectives);
    }
  }
}
