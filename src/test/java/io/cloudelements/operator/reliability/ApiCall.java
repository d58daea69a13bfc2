package io.cloudelements.operator.reliability;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * One call to the Kubernetes API as RBAC sees it: verb, API group, resource (with its subresource,
 * as {@code campaignmonitorinstances/status}), namespace (empty for a cluster-scoped call) and
 * object name.
 */
record ApiCall(String verb, String group, String resource, String namespace, String name) {

  /** The RBAC view of a request; empty for a non-resource URL such as {@code /version}. */
  static Optional<ApiCall> of(RecordedRequest request) {
    String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase();
    String full = request.getPath() == null ? "" : request.getPath();
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    String query = full.contains("?") ? full.substring(full.indexOf('?') + 1) : "";
    String[] parts = path.replaceAll("^/|/$", "").split("/");
    int i;
    String group;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = "";
    if (parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return Optional.empty();
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : "";
    if (parts.length > i + 2) {
      resource = resource + "/" + parts[i + 2];
    }
    boolean collection = name.isEmpty();
    String verb =
        switch (method) {
          case "GET" ->
              query.contains("watch=true") || query.contains("watch=1")
                  ? "watch"
                  : collection ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> collection ? "deletecollection" : "delete";
          default -> method.toLowerCase();
        };
    return Optional.of(new ApiCall(verb, group, resource, namespace, name));
  }

  /**
   * The request body as text, without consuming it: {@code RecordedRequest.getUtf8Body()} empties
   * the buffer, and the CRUD dispatcher that applies the request after an interceptor would then
   * see no body.
   */
  static String body(RecordedRequest request) {
    return request.getBody() == null
        ? ""
        : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code group/resource verb in namespace}, without the object name. */
  String permission() {
    return (group.isEmpty() ? "core" : group)
        + "/"
        + resource
        + " "
        + verb
        + " in "
        + (namespace.isEmpty() ? "(cluster)" : namespace);
  }
}
