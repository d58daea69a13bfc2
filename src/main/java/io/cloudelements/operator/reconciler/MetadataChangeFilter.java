package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lets through updates that change the spec (generation), the annotations (pause,
 * skip-remote-delete, restart-consent), the finalizers or the deletion mark, or that spend a
 * consent (the OAuth callback's status update), and drops the other status-only updates the
 * operator causes itself. The operator's own metadata patch (its finalizer added, its create intent
 * set or withdrawn) is dropped too: the reconcile that wrote it already acted on it.
 */
public class MetadataChangeFilter implements OnUpdateFilter<CampaignMonitorInstance> {

  @Override
  public boolean accept(CampaignMonitorInstance updated, CampaignMonitorInstance previous) {
    ObjectMeta now = updated.getMetadata();
    ObjectMeta before = previous.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(consentUsedAt(updated), consentUsedAt(previous))
        || !Objects.equals(othersAnnotations(now), othersAnnotations(before))
        || finalizersChangedByOthers(now, before)
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }

  private static Map<String, String> othersAnnotations(ObjectMeta meta) {
    Map<String, String> annotations =
        meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations());
    annotations.remove(CreateIntent.ANNOTATION);
    return annotations;
  }

  /** Any change but the operator's own finalizer being added. */
  private static boolean finalizersChangedByOthers(ObjectMeta now, ObjectMeta before) {
    List<String> after = now.getFinalizers() == null ? List.of() : now.getFinalizers();
    List<String> earlier = before.getFinalizers() == null ? List.of() : before.getFinalizers();
    if (after.equals(earlier)) {
      return false;
    }
    List<String> withoutOwn = new ArrayList<>(after);
    withoutOwn.remove(CampaignMonitorInstanceReconciler.FINALIZER);
    return !(after.contains(CampaignMonitorInstanceReconciler.FINALIZER)
        && !earlier.contains(CampaignMonitorInstanceReconciler.FINALIZER)
        && withoutOwn.equals(earlier));
  }

  private static String consentUsedAt(CampaignMonitorInstance cr) {
    return cr.getStatus() == null || cr.getStatus().getAuthorization() == null
        ? null
        : cr.getStatus().getAuthorization().getUsedAt();
  }
}
