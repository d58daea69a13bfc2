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
   * @param change applied to a copy of {@code cr}; the difference is sent as one JSON patch
   * @return the resource as the API server stored it
   */
  CampaignMonitorInstance patch(
      CampaignMonitorInstance cr, UnaryOperator<CampaignMonitorInstance> change);

  /**
   * Patches through JOSDK's operations on the primary resource of {@code context}, which cache the
   * answer and filter the event of this own write.
   */
  static MetadataPatcher of(Context<CampaignMonitorInstance> context) {
    return (cr, change) -> context.resourceOperations().jsonPatchPrimary(cr, change);
  }
}
