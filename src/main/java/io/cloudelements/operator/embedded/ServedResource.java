package io.cloudelements.operator.embedded;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One resource type the embedded API server serves, as discovery describes it: taken from a Fabric8
 * model class or from a CRD, so that what kubectl sees follows the model and the CRD without a
 * copy.
 *
 * @param crdVersion the CRD version it comes from, empty for a built-in type
 */
public record ServedResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    boolean statusSubresource,
    Optional<CustomResourceDefinitionVersion> crdVersion) {

  /** What every type here allows: the embedded server stores every kind the same way. */
  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** A built-in type; short names are not in the Fabric8 model, so they come from the caller. */
  public static ServedResource of(Class<? extends HasMetadata> type, String... shortNames) {
    return new ServedResource(
        HasMetadata.getGroup(type),
        HasMetadata.getVersion(type),
        HasMetadata.getPlural(type),
        HasMetadata.getSingular(type),
        HasMetadata.getKind(type),
        Namespaced.class.isAssignableFrom(type),
        List.of(shortNames),
        List.of(),
        false,
        Optional.empty());
  }

  /** Each served version of a CRD. */
  public static List<ServedResource> of(CustomResourceDefinition crd) {
    CustomResourceDefinitionNames names = crd.getSpec().getNames();
    List<ServedResource> served = new ArrayList<>();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (Boolean.FALSE.equals(version.getServed())) {
        continue;
      }
      served.add(
          new ServedResource(
              crd.getSpec().getGroup(),
              version.getName(),
              names.getPlural(),
              names.getSingular(),
              names.getKind(),
              "Namespaced".equals(crd.getSpec().getScope()),
              listOrEmpty(names.getShortNames()),
              listOrEmpty(names.getCategories()),
              version.getSubresources() != null && version.getSubresources().getStatus() != null,
              Optional.of(version)));
    }
    return served;
  }

  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /**
   * The entries of an APIResourceList: the resource, and its status subresource when it has one.
   */
  List<APIResource> apiResources() {
    List<APIResource> resources = new ArrayList<>();
    resources.add(
        new APIResourceBuilder()
            .withName(plural)
            .withSingularName(singular)
            .withNamespaced(namespaced)
            .withKind(kind)
            .withVerbs(VERBS)
            .withShortNames(shortNames.isEmpty() ? null : shortNames)
            .withCategories(categories.isEmpty() ? null : categories)
            .build());
    if (statusSubresource) {
      resources.add(
          new APIResourceBuilder()
              .withName(plural + "/status")
              .withSingularName("")
              .withNamespaced(namespaced)
              .withKind(kind)
              .withVerbs("get", "patch", "update")
              .build());
    }
    return resources;
  }

  private static List<String> listOrEmpty(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }
}
