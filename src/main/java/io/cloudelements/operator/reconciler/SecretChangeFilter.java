package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets through the Secret updates a reconcile can act on (data, type, labels, annotations, owners,
 * the deletion mark) and drops those that only change finalizers: the operator's own in-use
 * finalizer on a shared credentials Secret would otherwise reconcile every resource that uses it,
 * for nothing.
 */
final class SecretChangeFilter implements OnUpdateFilter<Secret> {

  @Override
  public boolean accept(Secret updated, Secret previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return !Objects.equals(updated.getData(), previous.getData())
        || !Objects.equals(updated.getStringData(), previous.getStringData())
        || !Objects.equals(updated.getType(), previous.getType())
        || !Objects.equals(now.getLabels(), before.getLabels())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || !Objects.equals(now.getOwnerReferences(), before.getOwnerReferences())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }
}
