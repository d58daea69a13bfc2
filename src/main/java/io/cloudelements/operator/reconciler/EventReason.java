package io.cloudelements.operator.reconciler;

/** The reasons of the Normal Events the operator records for what it did; the strings are a contract. */
public enum EventReason {

  CREATED("Created"),
  RECREATED("Recreated"),
  ADOPTED("Adopted"),
  UPDATED("Updated"),
  SECRET_RESTORED("SecretRestored"),
  REAUTHORIZED("Reauthorized"),
  DELETED("Deleted"),
  ORPHANED("Orphaned");

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
