package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.RemoteInstance;

/**
 * Sends a new OAuth code to an existing instance, and records the code as used whether it was
 * accepted or refused. One instance serves both the sync of a recorded instance and the adoption of
 * a found one.
 */
final class Reauthorizer {

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;

  Reauthorizer(CloudElementsClient cloudElements, EventPublisher events) {
    this.cloudElements = cloudElements;
    this.events = events;
  }

  RemoteInstance reauthorize(
      CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status,
      long id,
      ResolvedInputs inputs,
      String code) {
    try {
      RemoteInstance remote = cloudElements.reauthorize(inputs.account(), id, inputs.desired());
      status.setConsumedCodeFingerprint(code);
      events.normal(
          cr,
          EventReason.REAUTHORIZED,
          "Re-authorized instance " + id + " with the new authorization code");
      return remote;
    } catch (CloudElementsException e) {
      if (FailureClassifier.isRejection(e)) {
        status.setConsumedCodeFingerprint(code);
      }
      throw e;
    }
  }
}
