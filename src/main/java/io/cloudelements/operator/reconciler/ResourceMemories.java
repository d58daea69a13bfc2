package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ResourceMemory} of every resource, by uid. The memory of a resource whose cleanup
 * finished is kept until the resource has left the informer cache (JOSDK may call cleanup again
 * until then), plus {@link #GRACE} for an execution JOSDK took from the cache just before; {@link
 * #forgetGone} then drops it.
 */
final class ResourceMemories {

  static final Duration GRACE = Duration.ofMinutes(1);

  private final Map<String, ResourceMemory> byUid = new ConcurrentHashMap<>();
  private final Map<String, ResourceID> cleanedUp = new ConcurrentHashMap<>();

  ResourceMemory of(HasMetadata resource) {
    return byUid.computeIfAbsent(resource.getMetadata().getUid(), uid -> new ResourceMemory());
  }

  /**
   * Remembers that the remote side of the resource is done: a repeated cleanup only lets the
   * finalizer go.
   */
  void cleanupFinished(HasMetadata resource, Instant at) {
    of(resource).cleanupFinished(at);
    cleanedUp.put(resource.getMetadata().getUid(), ResourceID.fromResource(resource));
  }

  /**
   * Forgets the resources cleaned up before {@code now} minus {@link #GRACE} that the cache no
   * longer holds.
   */
  void forgetGone(Cache<? extends HasMetadata> primaries, Instant now) {
    Instant before = now.minus(GRACE);
    cleanedUp.forEach(
        (uid, id) -> {
          boolean cached =
              primaries.get(id).filter(r -> uid.equals(r.getMetadata().getUid())).isPresent();
          ResourceMemory memory = byUid.get(uid);
          if (!cached && (memory == null || memory.cleanupFinishedAt().isBefore(before))) {
            byUid.remove(uid);
            cleanedUp.remove(uid);
          }
        });
  }

  int size() {
    return byUid.size();
  }
}
