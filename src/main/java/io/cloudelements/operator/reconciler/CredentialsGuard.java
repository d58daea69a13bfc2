package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the finalizer {@value #IN_USE} on every credentials Secret that a resource references, so
 * the Secret outlives the resources that need it to delete their remote instances (as in {@code
 * kubectl delete namespace}). Held only for inputs that passed validation.
 */
final class CredentialsGuard {

  static final String IN_USE = "cloudelements.io/in-use";
  static final String INDEX = "credentials-secret";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsGuard.class);
  private static final int LOCK_STRIPES = 64;

  /**
   * Changes to one Secret are serialized, because many resources share it and their first
   * reconciles run at once.
   */
  private final Object[] locks = new Object[LOCK_STRIPES];

  /**
   * Per Secret, the resources whose cleanup finished but which may still linger in the cache; an
   * entry goes when no such resource is left. Each set is guarded by its Secret's lock.
   */
  private final Map<String, Set<String>> released = new ConcurrentHashMap<>();

  CredentialsGuard() {
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  static List<String> indexKeys(CampaignMonitorInstance cr) {
    return cr.getSpec() == null || cr.getSpec().getCredentialsRef() == null
        ? List.of()
        : List.of(key(cr.getMetadata().getNamespace(), cr.getSpec().getCredentialsRef().getName()));
  }

  /** Adds the finalizer to the referenced Secret, and releases a previously referenced one. */
  void hold(Observation seen, Context<CampaignMonitorInstance> context) {
    CampaignMonitorInstance cr = seen.cr();
    String name = cr.getSpec().getCredentialsRef().getName();
    Optional<Secret> secret = seen.secrets().find(name);
    if (secret.isEmpty()) {
      return;
    }
    List<String> finalizers = secret.get().getMetadata().getFinalizers();
    if ((finalizers == null || !finalizers.contains(IN_USE))
        && secret.get().getMetadata().getDeletionTimestamp() == null) {
      addFinalizer(cr.getMetadata().getNamespace(), name, seen.secrets());
    }
    String previous = seen.status().getCredentialsSecretName();
    seen.status().setCredentialsSecretName(name);
    if (previous != null && !previous.equals(name)) {
      release(cr, previous, false, seen.secrets(), context);
    }
  }

  /** Adds the finalizer unless the Secret on the server has it already. */
  private void addFinalizer(String namespace, String name, SecretStore secrets) {
    synchronized (lockOf(key(namespace, name))) {
      Optional<Secret> current = secrets.fetch(name);
      if (current.isEmpty()
          || current.get().getMetadata().getDeletionTimestamp() != null
          || current.get().getMetadata().getFinalizers() != null
              && current.get().getMetadata().getFinalizers().contains(IN_USE)) {
        return;
      }
      secrets.edit(
          current.get(),
          s -> {
            List<String> list =
                new ArrayList<>(
                    s.getMetadata().getFinalizers() == null
                        ? List.of()
                        : s.getMetadata().getFinalizers());
            list.add(IN_USE);
            s.getMetadata().setFinalizers(list);
            return s;
          });
      LOG.debug("Added finalizer {} to Secret {}", IN_USE, name);
    }
  }

  /**
   * Called when the resource's cleanup is done: drops the finalizer if no other resource references
   * the Secret.
   */
  void releaseAfterCleanup(Observation seen, Context<CampaignMonitorInstance> context) {
    CampaignMonitorInstance cr = seen.cr();
    String name =
        cr.getStatus() != null && cr.getStatus().getCredentialsSecretName() != null
            ? cr.getStatus().getCredentialsSecretName()
            : cr.getSpec().getCredentialsRef().getName();
    release(cr, name, true, seen.secrets(), context);
  }

  private void release(
      CampaignMonitorInstance cr,
      String name,
      boolean cleanedUp,
      SecretStore secrets,
      Context<CampaignMonitorInstance> context) {
    String key = key(cr.getMetadata().getNamespace(), name);
    synchronized (lockOf(key)) {
      Set<String> done = released.computeIfAbsent(key, k -> new HashSet<>());
      if (cleanedUp) {
        done.add(cr.getMetadata().getUid());
      }
      Set<String> referencing =
          context.getPrimaryCache().byIndex(INDEX, key).stream()
              .map(r -> r.getMetadata().getUid())
              .collect(Collectors.toSet());
      done.retainAll(referencing);
      if (done.isEmpty()) {
        released.remove(key);
      }
      boolean stillUsed =
          referencing.stream()
              .anyMatch(uid -> !uid.equals(cr.getMetadata().getUid()) && !done.contains(uid));
      if (stillUsed) {
        return;
      }
      Optional<Secret> secret = secrets.fetch(name);
      if (secret.isPresent()
          && secret.get().getMetadata().getFinalizers() != null
          && secret.get().getMetadata().getFinalizers().contains(IN_USE)) {
        secrets.edit(
            name,
            s -> {
              s.getMetadata()
                  .setFinalizers(
                      s.getMetadata().getFinalizers().stream()
                          .filter(f -> !f.equals(IN_USE))
                          .toList());
              return s;
            });
        LOG.info("Released Secret {}: no resource references it any more", name);
      }
    }
  }

  private Object lockOf(String key) {
    return locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
