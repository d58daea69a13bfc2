package io.cloudelements.operator.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses Kubernetes manifests (multi-document YAML) into typed Fabric8 objects and checks that
 * nothing was left over: Fabric8 models keep fields they do not know in {@code
 * additionalProperties} instead of failing, so a misspelt or misplaced field (e.g. {@code
 * securityContext.runAsNonroot}) would otherwise pass unnoticed.
 */
final class Manifests {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  /**
   * Labels that only make sense for a Helm release; the plain manifests in deploy/ leave them out.
   */
  static final Set<String> HELM_ONLY_LABELS =
      Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");

  private Manifests() {}

  /** The documents of a multi-document YAML text, without empty ones. */
  static List<JsonNode> documents(String yaml) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
        while (it.hasNext()) {
          JsonNode node = it.next();
          if (node != null
              && !node.isNull()
              && !node.isMissingNode()
              && !(node.isObject() && node.isEmpty())) {
            docs.add(node);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("not valid YAML", e);
    }
  }

  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses every document into its typed Fabric8 class and fails if one is of an unknown kind (a
   * {@link GenericKubernetesResource}) or carries fields its type does not have.
   */
  static List<HasMetadata> parseTyped(String source, List<JsonNode> documents) {
    List<HasMetadata> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode doc : documents) {
      String id =
          source
              + ": "
              + doc.path("kind").asText("?")
              + "/"
              + doc.path("metadata").path("name").asText("?");
      KubernetesResource parsed = SERIALIZATION.convertValue(doc, KubernetesResource.class);
      if (!(parsed instanceof HasMetadata resource)
          || parsed instanceof GenericKubernetesResource) {
        problems.add(
            id
                + ": no typed model for apiVersion "
                + doc.path("apiVersion").asText()
                + " kind "
                + doc.path("kind").asText());
        continue;
      }
      for (String unknown : unknownFields(resource)) {
        problems.add(id + ": unknown field " + unknown);
      }
      out.add(resource);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "manifests do not parse cleanly into Fabric8 types:\n  " + String.join("\n  ", problems));
    }
    return out;
  }

  /** Paths of all non-empty {@code additionalProperties} in a Fabric8 object graph. */
  static List<String> unknownFields(Object root) {
    List<String> out = new ArrayList<>();
    walk(root, "", out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(
      Object value, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        walk(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        walk(e.getValue(), path + "[" + e.getKey() + "]", out, seen);
      }
      return;
    }
    Class<?> type = value.getClass();
    if (!type.getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : type.getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      String name = getter.getName();
      if (!name.startsWith("get") || name.length() == 3 || name.equals("getClass")) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
        continue;
      }
      if (name.equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> out.add((path.isEmpty() ? "" : path + ".") + k));
        }
        continue;
      }
      String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
      walk(child, path.isEmpty() ? field : path + "." + field, out, seen);
    }
  }

  /** Finds the only resource of a type and name. */
  static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
    List<T> found =
        all(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one "
              + type.getSimpleName()
              + " named "
              + name
              + ", found "
              + found.size()
              + " among "
              + identities(resources));
    }
    return found.get(0);
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> Optional<T> find(
      List<HasMetadata> resources, Class<T> type, String name) {
    return all(resources, type).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst();
  }

  /** "Kind namespace/name" of each resource, sorted. */
  static List<String> identities(List<HasMetadata> resources) {
    return resources.stream().map(Manifests::identity).sorted().toList();
  }

  static String identity(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return r.getKind() + " " + (ns == null ? "" : ns + "/") + r.getMetadata().getName();
  }

  /**
   * A resource as a JSON tree, with the Helm-only labels removed from its metadata and from a pod
   * template, for comparing a chart render with plain manifests.
   */
  static JsonNode withoutHelmLabels(HasMetadata resource) {
    JsonNode tree = SERIALIZATION.convertValue(resource, JsonNode.class);
    stripLabels(tree.path("metadata"));
    stripLabels(tree.path("spec").path("template").path("metadata"));
    return tree;
  }

  private static void stripLabels(JsonNode metadata) {
    if (metadata.path("labels") instanceof ObjectNode labels) {
      HELM_ONLY_LABELS.forEach(labels::remove);
    }
  }

  static Map<String, JsonNode> byIdentity(List<HasMetadata> resources) {
    return resources.stream()
        .sorted(Comparator.comparing(Manifests::identity))
        .collect(
            Collectors.toMap(
                Manifests::identity,
                Manifests::withoutHelmLabels,
                (a, b) -> {
                  throw new AssertionError("duplicate resource " + a);
                },
                java.util.LinkedHashMap::new));
  }
}
