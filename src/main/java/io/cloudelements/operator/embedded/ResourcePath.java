package io.cloudelements.operator.embedded;

import java.util.List;
import java.util.Optional;

/**
 * A request path resolved against the served types: {@code /api/v1/namespaces/default/events},
 * {@code /apis/cloudelements.io/v1alpha1/namespaces/default/campaignmonitorinstances/newsletter}.
 *
 * @param namespace null for a path across namespaces
 * @param name null for a collection
 */
record ResourcePath(ServedResource resource, String namespace, String name) {

  static Optional<ResourcePath> parse(String pathAndQuery, List<ServedResource> resources) {
    String[] parts = bare(pathAndQuery).replaceAll("^/|/$", "").split("/");
    int base;
    String group;
    if (parts.length >= 3 && parts[0].equals("api")) {
      base = 2;
      group = "";
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      base = 3;
      group = parts[1];
    } else {
      return Optional.empty();
    }
    String version = parts[base - 1];
    int rest = parts.length - base;
    String namespace = null;
    int at = base;
    if (rest >= 3 && parts[base].equals("namespaces")) {
      namespace = parts[base + 1];
      at = base + 2;
      rest -= 2;
    }
    if (rest < 1 || rest > 2) {
      return Optional.empty();
    }
    String plural = parts[at];
    String name = rest == 2 ? parts[at + 1] : null;
    String ns = namespace;
    return resources.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst()
        .map(r -> new ResourcePath(r, ns, name));
  }

  /** The path of the collection this path is in, without a query. */
  String collectionPath() {
    String prefix =
        resource.group().isEmpty()
            ? "/api/" + resource.version()
            : "/apis/" + resource.group() + "/" + resource.version();
    return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource.plural();
  }

  static String bare(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  static String query(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? "" : pathAndQuery.substring(q + 1);
  }
}
