package io.cloudelements.operator.embedded;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock API server's objects by resource, namespace and name. The Fabric8 CRUD store finds an
 * object by matching every stored key against the request's, which makes each request cost as much
 * as the number of objects (the bench's 1,000 resources, their Secrets and Events): a real API
 * server reads one key. Kept in step with the store by {@link ObservedCrudDispatcher#processEvent},
 * through which every write of the store passes.
 */
final class ObjectIndex {

  private static final String PLURAL = "plural";
  private static final String NAMESPACE = "namespace";
  private static final String NAME = "name";

  private final Map<String, Map.Entry<AttributeSet, String>> objects = new ConcurrentHashMap<>();

  /**
   * The key of one named object, when the attributes name one: resource, namespace and name. A
   * query without a namespace (a namespaced object asked for across namespaces) names none.
   */
  static Optional<String> identity(AttributeSet attributes) {
    Attribute plural = attributes.getAttribute(PLURAL);
    Attribute namespace = attributes.getAttribute(NAMESPACE);
    Attribute name = attributes.getAttribute(NAME);
    if (plural == null || namespace == null || name == null) {
      return Optional.empty();
    }
    return Optional.of(value(plural) + "/" + value(namespace) + "/" + value(name));
  }

  /**
   * The stored object the query names, if any; empty also when the query names no single object
   * (then only the full store can answer).
   */
  Optional<Map.Entry<AttributeSet, String>> find(AttributeSet query) {
    return identity(query).map(objects::get).filter(entry -> entry.getKey().matches(query));
  }

  /**
   * Records that the store replaced {@code oldKey}'s object (if any) with {@code newKey}'s. The new
   * entry goes in before the old one goes, so that a read never misses an object being updated.
   */
  void replaced(AttributeSet oldKey, AttributeSet newKey, String newState) {
    Optional<String> now = newKey != null && newState != null ? identity(newKey) : Optional.empty();
    now.ifPresent(id -> objects.put(id, Map.entry(newKey, newState)));
    if (oldKey != null) {
      identity(oldKey)
          .filter(id -> !now.equals(Optional.of(id)))
          .ifPresent(
              id -> objects.computeIfPresent(id, (k, e) -> e.getKey().equals(oldKey) ? null : e));
    }
  }

  void clear() {
    objects.clear();
  }

  private static String value(Attribute attribute) {
    return attribute.getValues().isEmpty() ? "" : attribute.getValues().get(0).toString();
  }
}
