package io.cloudelements.operator.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * What the OAuth {@code state} parameter of one consent attempt says: which resource (namespace,
 * name and uid) and which attempt it belongs to, when it expires, and a random nonce that makes it
 * unguessable. It travels signed by {@link StateSigner}; nothing in it is secret on its own.
 */
public record ConsentState(
    String namespace, String name, String uid, String attempt, Instant expiresAt, String nonce) {

  public ConsentState {
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
    Objects.requireNonNull(uid);
    Objects.requireNonNull(attempt);
    Objects.requireNonNull(expiresAt);
    Objects.requireNonNull(nonce);
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** namespace/name, as people write it. */
  public String resource() {
    return namespace + "/" + name;
  }
}
