package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets through updates that change the spec (generation), the annotations (pause, skip-remote-delete), the
 * finalizers or the deletion mark, and drops the status-only updates the operator causes itself.
 */
public class MetadataChangeFilter implements OnUpdateFilter<CampaignMonitorInstance> {

  @Override
  public boolean accept(CampaignMonitorInstance updated, CampaignMonitorInstance previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }
}
