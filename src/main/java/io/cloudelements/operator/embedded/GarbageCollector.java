package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Deletes the objects whose owner was deleted, in the background, as the API server's garbage
 * collector does for a background cascading deletion: without it, {@code kubectl delete} of a
 * resource on the demo would leave its output Secret behind, which a real cluster never does. An
 * object that no longer names its owner (the operator orphans the Secret of a resource with {@code
 * deletionPolicy: Orphan}) is not collected.
 */
final class GarbageCollector implements AutoCloseable {

  private final Map<String, Set<String>> dependentsByOwnerUid = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> ownerUidsByDependent = new ConcurrentHashMap<>();
  private final Consumer<String> delete;
  private final ExecutorService collector =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-garbage-collector");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param delete deletes the object at a path, as a DELETE request to the server would
   */
  GarbageCollector(Consumer<String> delete) {
    this.delete = delete;
  }

  /**
   * Sees a change of the object at {@code path}: {@code now} is null when it was deleted, {@code
   * before} when it was created.
   */
  void changed(String path, JsonNode before, JsonNode now) {
    forgetOwners(path);
    if (now != null) {
      now.path("metadata").path("ownerReferences").forEach(owner -> link(owner, path));
      return;
    }
    String uid = before == null ? "" : before.path("metadata").path("uid").asText("");
    Set<String> dependents = uid.isEmpty() ? null : dependentsByOwnerUid.remove(uid);
    if (dependents != null) {
      dependents.forEach(dependent -> collector.execute(() -> delete.accept(dependent)));
    }
  }

  private void link(JsonNode owner, String dependent) {
    String uid = owner.path("uid").asText("");
    if (!uid.isEmpty()) {
      dependentsByOwnerUid.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(dependent);
      ownerUidsByDependent.computeIfAbsent(dependent, d -> ConcurrentHashMap.newKeySet()).add(uid);
    }
  }

  private void forgetOwners(String dependent) {
    Set<String> owners = ownerUidsByDependent.remove(dependent);
    if (owners != null) {
      owners.forEach(
          uid ->
              dependentsByOwnerUid.computeIfPresent(
                  uid,
                  (u, dependents) -> {
                    dependents.remove(dependent);
                    return dependents.isEmpty() ? null : dependents;
                  }));
    }
  }

  void clear() {
    dependentsByOwnerUid.clear();
    ownerUidsByDependent.clear();
  }

  @Override
  public void close() {
    collector.shutdownNow();
  }
}
