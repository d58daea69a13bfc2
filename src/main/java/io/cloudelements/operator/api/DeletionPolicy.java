package io.cloudelements.operator.api;

/** Whether deleting the resource deletes the remote instance too. */
public enum DeletionPolicy {
  Delete,
  Orphan
}
