package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Writes a resource's status to the API server at once, in the middle of a reconcile; tests pass a
 * fake.
 */
@FunctionalInterface
interface StatusPatcher {

  /**
   * @return the resource as the API server stored it
   */
  CampaignMonitorInstance patch(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status);

  /** Patches through JOSDK's operations on the primary resource of {@code context}. */
  static StatusPatcher of(Context<CampaignMonitorInstance> context) {
    return (cr, status) ->
        context
            .resourceOperations()
            .jsonPatchPrimaryStatus(
                cr,
                c -> {
                  c.setStatus(status);
                  return c;
                });
  }
}
