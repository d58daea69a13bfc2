package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.UnaryOperator;

/**
 * Writes a resource's metadata (finalizers, annotations) to the API server at once, in the middle
 * of a reconcile; tests pass a fake.
 */
@FunctionalInterface
interface MetadataPatcher {

  /**
   * @param change applied to the resource (again to a fresh read after a conflict), so it must give
   *     the same result when applied twice; the difference is sent as one JSON patch
   * @return the resource as the API server stored it
   */
  CampaignMonitorInstance patch(
      CampaignMonitorInstance cr, UnaryOperator<CampaignMonitorInstance> change);

  /**
   * Patches through JOSDK's operations on the primary resource of {@code context} (the {@code cr}
   * being reconciled), which retry a conflict on a fresh read, cache the answer and filter the
   * event of this own write.
   */
  static MetadataPatcher of(Context<CampaignMonitorInstance> context) {
    return (cr, change) ->
        context.resourceOperations().conflictRetryingPatchPrimary(change, current -> true);
  }
}
