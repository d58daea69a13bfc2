package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the finalizer {@value #IN_USE} on every credentials Secret that a resource references, so the Secret
 * outlives the resources that need it to delete their remote instances (as in {@code kubectl delete namespace}).
 */
final class CredentialsGuard {

  static final String IN_USE = "cloudelements.io/in-use";
  static final String INDEX = "credentials-secret";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsGuard.class);

  /** Per Secret, the resources whose cleanup finished but which may still linger in the cache. */
  private final Map<String, Set<String>> released = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  static List<String> indexKeys(CampaignMonitorInstance cr) {
    return cr.getSpec() == null || cr.getSpec().getCredentialsRef() == null ? List.of()
        : List.of(key(cr.getMetadata().getNamespace(), cr.getSpec().getCredentialsRef().getName()));
  }

  /** Adds the finalizer to the referenced Secret, and releases a previously referenced one. */
  void hold(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, SecretLookup secrets,
      Context<CampaignMonitorInstance> context) {
    String name = cr.getSpec().getCredentialsRef().getName();
    Optional<Secret> secret = secrets.find(name);
    if (secret.isEmpty()) {
      return;
    }
    List<String> finalizers = secret.get().getMetadata().getFinalizers();
    if ((finalizers == null || !finalizers.contains(IN_USE)) && secret.get().getMetadata().getDeletionTimestamp() == null) {
      addFinalizer(cr.getMetadata().getNamespace(), name, context);
    }
    String previous = status.getCredentialsSecretName();
    status.setCredentialsSecretName(name);
    if (previous != null && !previous.equals(name)) {
      release(cr, previous, false, context);
    }
  }

  /**
   * Adds the finalizer unless the Secret on the server has it already. Serialized per Secret, because many resources
   * share one credentials Secret and their first reconciles run at once.
   */
  private void addFinalizer(String namespace, String name, Context<CampaignMonitorInstance> context) {
    synchronized (locks.computeIfAbsent(key(namespace, name), k -> new Object())) {
      Secret current = context.getClient().secrets().inNamespace(namespace).withName(name).get();
      if (current == null || current.getMetadata().getDeletionTimestamp() != null
          || current.getMetadata().getFinalizers() != null && current.getMetadata().getFinalizers().contains(IN_USE)) {
        return;
      }
      context.getClient().secrets().inNamespace(namespace).resource(current).edit(s -> {
        List<String> list = new ArrayList<>(s.getMetadata().getFinalizers() == null ? List.of()
            : s.getMetadata().getFinalizers());
        list.add(IN_USE);
        s.getMetadata().setFinalizers(list);
        return s;
      });
      LOG.debug("Added finalizer {} to Secret {}", IN_USE, name);
    }
  }

  /** Called when the resource's cleanup is done: drops the finalizer if no other resource references the Secret. */
  void releaseAfterCleanup(CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    String name = cr.getStatus() != null && cr.getStatus().getCredentialsSecretName() != null
        ? cr.getStatus().getCredentialsSecretName() : cr.getSpec().getCredentialsRef().getName();
    release(cr, name, true, context);
  }

  private void release(CampaignMonitorInstance cr, String name, boolean cleanedUp,
      Context<CampaignMonitorInstance> context) {
    String namespace = cr.getMetadata().getNamespace();
    String key = key(namespace, name);
    Set<String> done = released.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    synchronized (done) {
      if (cleanedUp) {
        done.add(cr.getMetadata().getUid());
      }
      IndexedResourceCache<CampaignMonitorInstance> cache = context.getPrimaryCache();
      Set<String> referencing = cache.byIndex(INDEX, key).stream().map(r -> r.getMetadata().getUid())
          .collect(Collectors.toSet());
      done.retainAll(referencing);
      boolean stillUsed = referencing.stream()
          .anyMatch(uid -> !uid.equals(cr.getMetadata().getUid()) && !done.contains(uid));
      if (stillUsed) {
        return;
      }
      Secret secret = context.getClient().secrets().inNamespace(namespace).withName(name).get();
      if (secret != null && secret.getMetadata().getFinalizers() != null
          && secret.getMetadata().getFinalizers().contains(IN_USE)) {
        context.getClient().secrets().inNamespace(namespace).withName(name).edit(s -> {
          s.getMetadata().setFinalizers(s.getMetadata().getFinalizers().stream().filter(f -> !f.equals(IN_USE))
              .toList());
          return s;
        });
        LOG.info("Released Secret {}: no resource references it any more", name);
      }
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
