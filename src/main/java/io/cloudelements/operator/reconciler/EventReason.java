package io.cloudelements.operator.reconciler;

/**
 * The reasons of the Events the operator records for what it did (Normal, except {@link
 * #WEBHOOK_KEY_ROTATION_IGNORED}); the strings are a contract.
 */
public enum EventReason {
  CREATED("Created"),
  RECREATED("Recreated"),
  ADOPTED("Adopted"),
  UPDATED("Updated"),
  SECRET_RESTORED("SecretRestored"),
  REAUTHORIZED("Reauthorized"),
  AWAITING_CONSENT("AwaitingConsent"),
  DELETED("Deleted"),
  ORPHANED("Orphaned"),
  WEBHOOK_KEY_ROTATED("WebhookKeyRotated"),
  /** Warning: the rotation annotation was set while the user manages the key. */
  WEBHOOK_KEY_ROTATION_IGNORED("WebhookKeyRotationIgnored");

  private final String value;

  EventReason(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
