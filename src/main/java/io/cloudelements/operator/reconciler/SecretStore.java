package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The Secrets of one resource's namespace, as a reconcile reads and writes them: {@link #find}
 * reads the informer cache, {@link #fetch} the API server.
 */
interface SecretStore extends SecretLookup {

  /** The Secret as the API server has it now, for changes that many resources race for. */
  Optional<Secret> fetch(String name);

  void create(Secret secret);

  void update(Secret secret);

  /** Patches the Secret with {@code change}, computed against {@code current} as fetched. */
  void edit(Secret current, UnaryOperator<Secret> change);

  /** Patches the Secret with {@code change}, computed against the server's copy. */
  void edit(String name, UnaryOperator<Secret> change);
}
