package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Deletes, in the background, the objects whose owners were all deleted, as the API server's
 * garbage collector does for a background cascading deletion: without it, {@code kubectl delete} of
 * a resource on the demo would leave its output Secret behind, which a real cluster never does. An
 * object that no longer names the owner (the operator orphans the Secret of a resource with {@code
 * deletionPolicy: Orphan}), that still has a live owner, or that was replaced by a new object of
 * the same name meanwhile is not collected. Deletion options (an orphaning propagation policy) are
 * not honoured: this is the demo's and the tests' API server.
 */
final class GarbageCollector implements AutoCloseable {

  private final Map<String, Set<String>> dependentsByOwnerUid = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> ownerUidsByDependent = new ConcurrentHashMap<>();
  private final Set<String> liveUids = ConcurrentHashMap.newKeySet();
  private final Consumer<String> delete;
  private final Function<String, Optional<String>> uidAt;
  private final ExecutorService collector =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-garbage-collector");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param delete deletes the object at a path, as a DELETE request to the server would
   * @param uidAt the uid of the object now stored at a path, if any
   */
  GarbageCollector(Consumer<String> delete, Function<String, Optional<String>> uidAt) {
    this.delete = delete;
    this.uidAt = uidAt;
  }

  /**
   * Sees a change of the object at {@code path}: {@code now} is null when it was deleted, {@code
   * before} when it was created.
   */
  void changed(String path, JsonNode before, JsonNode now) {
    forgetOwners(path);
    if (now != null) {
      liveUids.add(uid(now));
      now.path("metadata").path("ownerReferences").forEach(owner -> link(owner, path));
      return;
    }
    String uid = before == null ? "" : uid(before);
    liveUids.remove(uid);
    Set<String> dependents = uid.isEmpty() ? null : dependentsByOwnerUid.remove(uid);
    if (dependents != null) {
      dependents.forEach(this::collectIfOrphaned);
    }
  }

  private void collectIfOrphaned(String dependent) {
    Set<String> owners = ownerUidsByDependent.getOrDefault(dependent, Set.of());
    if (owners.stream().anyMatch(liveUids::contains)) {
      return;
    }
    Optional<String> uid = uidAt.apply(dependent);
    collector.execute(
        () -> {
          if (uid.isPresent() && uid.equals(uidAt.apply(dependent))) {
            delete.accept(dependent);
          }
        });
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

  private static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asText("");
  }

  void clear() {
    dependentsByOwnerUid.clear();
    ownerUidsByDependent.clear();
    liveUids.clear();
  }

  @Override
  public void close() {
    collector.shutdownNow();
  }
}
