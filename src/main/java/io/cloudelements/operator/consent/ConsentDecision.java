package io.cloudelements.operator.consent;

import io.cloudelements.operator.api.AuthorizationStatus;
import java.time.Duration;

/** What the consent step decided for a resource that has no unused authorization code. */
public sealed interface ConsentDecision {

  /** A new consent was published in the status: announce it once. */
  record Started(AuthorizationStatus authorization, Duration expiresIn)
      implements ConsentDecision {}

  /** The published consent is still open: keep waiting, at most until it expires. */
  record Pending(AuthorizationStatus authorization, Duration expiresIn)
      implements ConsentDecision {}

  /** The person approved: the callback stored the code, which the informer has not brought yet. */
  record Approved() implements ConsentDecision {}

  /**
   * The person denied access at the provider; nothing happens until a restart is asked for or the
   * spec changes.
   */
  record Denied() implements ConsentDecision {}

  /** Cloud Elements answered a consent URL that holds the consumer secret: it is not published. */
  record SecretInUrl() implements ConsentDecision {}
}
