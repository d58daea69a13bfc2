package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The tag that marks a remote instance as created for one Kubernetes resource, derived from its
 * uid.
 */
public final class OwnershipTag {

  public static final String PREFIX = "campaign-monitor-operator/uid=";

  private OwnershipTag() {}

  public static String of(HasMetadata resource) {
    return PREFIX + resource.getMetadata().getUid();
  }
}
