package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link ResourceMemory} of every resource, by uid; {@link #forget} drops it when the resource is gone. */
final class ResourceMemories {

  private final Map<String, ResourceMemory> byUid = new ConcurrentHashMap<>();

  ResourceMemory of(HasMetadata resource) {
    return byUid.computeIfAbsent(resource.getMetadata().getUid(), uid -> new ResourceMemory());
  }

  void forget(HasMetadata resource) {
    byUid.remove(resource.getMetadata().getUid());
  }

  int size() {
    return byUid.size();
  }
}
