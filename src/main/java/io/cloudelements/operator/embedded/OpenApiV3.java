package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The part of OpenAPI v3 that kubectl apply reads before it writes: per group version, the PATCH
 * operation of each type with its {@code fieldValidation} parameter. kubectl then leaves validation
 * to the server and sends {@code fieldValidation=Strict}, which this server accepts without
 * enforcing: like the rest of the embedded API server it does no schema validation. No schemas are
 * served, so kubectl builds its patches from its own built-in types, or as JSON merge patches for
 * custom resources. {@code /openapi/v2} is 404, as on a server that has only v3.
 */
final class OpenApiV3 {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/openapi/v3";

  private final List<ServedResource> resources;

  OpenApiV3(List<ServedResource> resources) {
    this.resources = List.copyOf(resources);
  }

  /**
   * The document at this path (no query); 404 for any other path under /openapi; empty outside it.
   */
  Optional<MockResponse> answer(String path) {
    if (!path.startsWith("/openapi")) {
      return Optional.empty();
    }
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      return Optional.of(json(index()));
    }
    for (String groupVersion : groupVersionPaths()) {
      if (path.equals(PREFIX + "/" + groupVersion)) {
        return Optional.of(json(document(groupVersion)));
      }
    }
    return Optional.of(
        HttpWatch.status(404, "NotFound", "the server could not find the requested resource"));
  }

  private Set<String> groupVersionPaths() {
    Set<String> paths = new LinkedHashSet<>();
    resources.forEach(r -> paths.add(urlPrefix(r).substring(1)));
    return paths;
  }

  private ObjectNode index() {
    ObjectNode index = JSON.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : groupVersionPaths()) {
      paths.putObject(groupVersion).put("serverRelativeURL", PREFIX + "/" + groupVersion);
    }
    return index;
  }

  private ObjectNode document(String groupVersion) {
    ObjectNode document = JSON.createObjectNode();
    document.put("openapi", "3.0.0");
    document
        .putObject("info")
        .put("title", "Kubernetes")
        .put("version", "v1." + ApiDiscovery.KUBERNETES_MINOR);
    ObjectNode paths = document.putObject("paths");
    for (ServedResource resource : resources) {
      if (!urlPrefix(resource).substring(1).equals(groupVersion)) {
        continue;
      }
      String item =
          urlPrefix(resource)
              + (resource.namespaced() ? "/namespaces/{namespace}/" : "/")
              + resource.plural()
              + "/{name}";
      ObjectNode patch = paths.putObject(item).putObject("patch");
      patch
          .putObject("x-kubernetes-group-version-kind")
          .put("group", resource.group())
          .put("version", resource.version())
          .put("kind", resource.kind());
      ArrayNode parameters = patch.putArray("parameters");
      parameters
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
      parameters
          .addObject()
          .put("name", "fieldManager")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    document.putObject("components").putObject("schemas");
    return document;
  }

  private static String urlPrefix(ServedResource resource) {
    return resource.group().isEmpty()
        ? "/api/" + resource.version()
        : "/apis/" + resource.group() + "/" + resource.version();
  }

  private static MockResponse json(ObjectNode document) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(document.toString());
  }
}
