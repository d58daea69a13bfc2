package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ResourceMemory} of every resource, by uid, from its first reconcile until its delete
 * event.
 */
final class ResourceMemories {

  private final Map<String, ResourceMemory> byUid = new ConcurrentHashMap<>();

  ResourceMemory of(HasMetadata resource) {
    return byUid.computeIfAbsent(resource.getMetadata().getUid(), uid -> new ResourceMemory());
  }

  /**
   * Remembers that the remote side of the resource is done: a repeated cleanup only lets the
   * finalizer go.
   */
  void cleanupFinished(HasMetadata resource, Instant at) {
    of(resource).cleanupFinished(at);
  }

  /** The resource is gone from the API server: nothing about it is needed any more. */
  void forget(HasMetadata resource) {
    byUid.remove(resource.getMetadata().getUid());
  }

  int size() {
    return byUid.size();
  }
}
