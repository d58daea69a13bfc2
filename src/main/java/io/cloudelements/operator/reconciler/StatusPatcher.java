package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;

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
}
