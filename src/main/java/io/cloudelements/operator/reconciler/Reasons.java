package io.cloudelements.operator.reconciler;

import java.util.Set;

/** Every condition reason the operator sets, in one place. */
public final class Reasons {

  public static final String AVAILABLE = "Available";
  public static final String CREATING = "Creating";
  public static final String WAITING_FOR_SECRET = "WaitingForSecret";
  public static final String CREDENTIALS_REJECTED = "CredentialsRejected";
  public static final String REQUEST_REJECTED = "RequestRejected";
  public static final String UPSTREAM_UNAVAILABLE = "UpstreamUnavailable";
  public static final String RATE_LIMITED = "RateLimited";
  public static final String SECRET_CONFLICT = "SecretConflict";
  public static final String DUPLICATE_INSTANCES = "DuplicateInstances";
  public static final String AUTHORIZATION_REQUIRED = "AuthorizationRequired";
  public static final String INSTANCE_NOT_FOUND = "InstanceNotFound";
  public static final String INSTANCE_INVALID = "InstanceInvalid";
  public static final String CREDENTIALS_MISSING = "CredentialsMissing";
  public static final String DELETING = "Deleting";
  public static final String PAUSED = "Paused";

  /** Reasons that need a change by a person: the operator makes no call until the spec or a Secret changes. */
  private static final Set<String> TERMINAL = Set.of(CREDENTIALS_REJECTED, REQUEST_REJECTED, SECRET_CONFLICT,
      DUPLICATE_INSTANCES, AUTHORIZATION_REQUIRED, INSTANCE_NOT_FOUND, CREDENTIALS_MISSING);

  private Reasons() {
  }

  public static boolean isTerminal(String reason) {
    return TERMINAL.contains(reason);
  }
}
