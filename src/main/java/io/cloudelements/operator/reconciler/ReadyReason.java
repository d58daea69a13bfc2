package io.cloudelements.operator.reconciler;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every reason the operator writes into the Ready condition. The strings are a contract: users,
 * kstatus, Argo CD and Flux health checks read them. What the operator does next follows from the
 * {@link Kind}, never the string.
 */
public enum ReadyReason {
  AVAILABLE("Available", Kind.READY),
  CREATING("Creating", Kind.PROGRESSING),
  WAITING_FOR_SECRET("WaitingForSecret", Kind.PROGRESSING),
  INSTANCE_INVALID("InstanceInvalid", Kind.PROGRESSING),
  /**
   * The consent step raises its own Normal Event for each consent it starts, so no Warning on the
   * change.
   */
  AWAITING_CONSENT("AwaitingConsent", Kind.PROGRESSING, false),
  UPSTREAM_UNAVAILABLE("UpstreamUnavailable", Kind.RETRYING),
  RATE_LIMITED("RateLimited", Kind.RETRYING),
  DELETING("Deleting", Kind.RETRYING),
  CREDENTIALS_REJECTED("CredentialsRejected", Kind.STALLED),
  REQUEST_REJECTED("RequestRejected", Kind.STALLED),
  SECRET_CONFLICT("SecretConflict", Kind.STALLED),
  DUPLICATE_INSTANCES("DuplicateInstances", Kind.STALLED),
  AUTHORIZATION_REQUIRED("AuthorizationRequired", Kind.STALLED),
  INSTANCE_NOT_FOUND("InstanceNotFound", Kind.STALLED),
  CREDENTIALS_MISSING("CredentialsMissing", Kind.STALLED),
  CONSENT_DENIED("ConsentDenied", Kind.STALLED),
  CONSENT_URL_UNSAFE("ConsentUrlUnsafe", Kind.STALLED),
  PAUSED("Paused", Kind.PAUSED);

  /**
   * What a reason means for the resource; it sets the Ready, Reconciling and Stalled conditions.
   */
  public enum Kind {
    /** The instance exists and matches the spec. */
    READY,
    /** On its way, or waiting for an input that an event will bring. */
    PROGRESSING,
    /** A transient failure: retried with backoff. */
    RETRYING,
    /** Needs a change by a person: no call until the spec or a Secret changes. */
    STALLED,
    /** The pause annotation is set: no call at all. */
    PAUSED
  }

  private final String value;
  private final Kind kind;
  private final boolean announced;

  ReadyReason(String value, Kind kind) {
    this(value, kind, true);
  }

  ReadyReason(String value, Kind kind, boolean announced) {
    this.value = value;
    this.kind = kind;
    this.announced = announced;
  }

  /**
   * Whether a change of the Ready reason to this one is announced with an Event by the status
   * writer.
   */
  public boolean announced() {
    return announced;
  }

  /** The string written into the condition. */
  public String value() {
    return value;
  }

  public Kind kind() {
    return kind;
  }

  /** The reason a stored condition names; empty for a string this operator does not write. */
  public static Optional<ReadyReason> parse(String value) {
    return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
  }

  @Override
  public String toString() {
    return value;
  }
}
