package io.cloudelements.operator.embedded;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents of the embedded API server ({@code /version}, {@code /api}, {@code
 * /api/v1}, {@code /apis}, {@code /apis/<group>} and {@code /apis/<group>/<version>}), built from
 * the {@link ServedResource}s. They are the legacy (unaggregated) documents with Content-Type
 * {@code application/json}: kubectl asks for aggregated discovery first and falls back to these
 * when the answer is not of the aggregated type.
 */
final class ApiDiscovery {

  /**
   * The Kubernetes API level of the Fabric8 model this server stores; reported by {@code /version}.
   */
  static final String KUBERNETES_MINOR = "33";

  private final List<ServedResource> resources;

  ApiDiscovery(List<ServedResource> resources) {
    this.resources = List.copyOf(resources);
  }

  /**
   * The discovery document at this path (no query), or empty when the path is not a discovery path.
   */
  Optional<MockResponse> answer(String path) {
    String[] parts = path.replaceAll("^/|/$", "").split("/");
    if (path.equals("/version") || path.equals("/version/")) {
      return json(version());
    }
    if (parts[0].equals("api")) {
      return switch (parts.length) {
        case 1 -> json(new APIVersionsBuilder().withVersions(coreVersions()).build());
        case 2 -> resourceList("", parts[1]).or(ApiDiscovery::notFound);
        default -> Optional.empty();
      };
    }
    if (parts[0].equals("apis")) {
      return switch (parts.length) {
        case 1 -> json(new APIGroupListBuilder().withGroups(groups()).build());
        case 2 ->
            groups().stream()
                .filter(g -> g.getName().equals(parts[1]))
                .findFirst()
                .flatMap(ApiDiscovery::json)
                .or(ApiDiscovery::notFound);
        case 3 -> resourceList(parts[1], parts[2]).or(ApiDiscovery::notFound);
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private static Map<String, String> version() {
    Map<String, String> version = new LinkedHashMap<>();
    version.put("major", "1");
    version.put("minor", KUBERNETES_MINOR);
    version.put("gitVersion", "v1." + KUBERNETES_MINOR + ".0+fabric8-mock-server");
    version.put("gitCommit", "");
    version.put("gitTreeState", "");
    version.put("buildDate", "");
    version.put("goVersion", "");
    version.put("compiler", "java " + Runtime.version().feature());
    version.put(
        "platform",
        System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    return version;
  }

  private List<String> coreVersions() {
    return resources.stream()
        .filter(r -> r.group().isEmpty())
        .map(ServedResource::version)
        .distinct()
        .toList();
  }

  private List<APIGroup> groups() {
    Map<String, List<GroupVersionForDiscovery>> versions = new LinkedHashMap<>();
    for (ServedResource resource : resources) {
      if (resource.group().isEmpty()) {
        continue;
      }
      List<GroupVersionForDiscovery> known =
          versions.computeIfAbsent(resource.group(), g -> new ArrayList<>());
      if (known.stream().noneMatch(v -> v.getVersion().equals(resource.version()))) {
        known.add(new GroupVersionForDiscovery(resource.groupVersion(), resource.version()));
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versions.forEach(
        (group, list) ->
            groups.add(
                new APIGroupBuilder()
                    .withName(group)
                    .withVersions(list)
                    .withPreferredVersion(list.get(0))
                    .build()));
    return groups;
  }

  private Optional<MockResponse> resourceList(String group, String version) {
    List<ServedResource> matching =
        resources.stream()
            .filter(r -> r.group().equals(group) && r.version().equals(version))
            .toList();
    if (matching.isEmpty()) {
      return Optional.empty();
    }
    APIResourceListBuilder list =
        new APIResourceListBuilder().withGroupVersion(matching.get(0).groupVersion());
    matching.forEach(r -> list.addAllToResources(r.apiResources()));
    return json(list.build());
  }

  /** The mock would answer an unknown group with every object it stores. */
  private static Optional<MockResponse> notFound() {
    return Optional.of(
        HttpWatch.status(404, "NotFound", "the server could not find the requested resource"));
  }

  private static Optional<MockResponse> json(Object document) {
    return Optional.of(
        new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(Serialization.asJson(document)));
  }
}
