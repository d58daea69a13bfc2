package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets through updates that change the spec (generation), the annotations (pause,
 * skip-remote-delete, restart-consent), the finalizers or the deletion mark, or that spend a
 * consent (the OAuth callback's status update), and drops the other status-only updates the
 * operator causes itself.
 */
public class MetadataChangeFilter implements OnUpdateFilter<CampaignMonitorInstance> {

  @Override
  public boolean accept(CampaignMonitorInstance updated, CampaignMonitorInstance previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(consentUsedAt(updated), consentUsedAt(previous))
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }

  private static String consentUsedAt(CampaignMonitorInstance cr) {
    return cr.getStatus() == null || cr.getStatus().getAuthorization() == null
        ? null
        : cr.getStatus().getAuthorization().getUsedAt();
  }
}
