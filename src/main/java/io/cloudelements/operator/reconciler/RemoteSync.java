package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.InstancePatch;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a recorded (or to-be-adopted) remote instance in line with the spec: one GET, then
 * re-authorization when the code changed, a PATCH of the changed parts, and the output Secret
 * rewritten when it drifted.
 */
final class RemoteSync {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteSync.class);

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;
  private final Reauthorizer reauthorizer;
  private final ConsentStep consent;

  RemoteSync(
      CloudElementsClient cloudElements,
      EventPublisher events,
      Reauthorizer reauthorizer,
      ConsentStep consent) {
    this.cloudElements = cloudElements;
    this.events = events;
    this.reauthorizer = reauthorizer;
    this.consent = consent;
  }

  /** Empty when the recorded instance is gone remotely and must be created again. */
  Optional<Decision> sync(Observation seen, long id, ResolvedInputs inputs) {
    CampaignMonitorInstance cr = seen.cr();
    CampaignMonitorInstanceStatus status = seen.status();
    boolean adopting =
        status.getInstanceId() == null
            && seen.output().flatMap(InstanceSecret::recordedId).isEmpty()
            && Objects.equals(cr.getSpec().getInstanceId(), id);
    String secretName = seen.secretName();
    try {
      RemoteInstance remote;
      try {
        remote = cloudElements.get(inputs.account(), id);
      } catch (CloudElementsException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        if (adopting || Objects.equals(cr.getSpec().getInstanceId(), id)) {
          return Optional.of(
              Decision.stalledOn(
                  inputs.fingerprint(),
                  ReadyReason.INSTANCE_NOT_FOUND,
                  "Instance " + id + " (spec.instanceId) does not exist in Cloud Elements"));
        }
        LOG.info("Instance {} no longer exists in Cloud Elements", id);
        status.setInstanceId(null);
        status.setAppliedFingerprints(null);
        return Optional.empty();
      }
      String code = inputs.authorizationCodeFingerprint();
      if (status.getConsumedCodeFingerprint() == null) {
        // Adopted, or created just before a crash that lost the status: the current code is the one
        // in use.
        status.setConsumedCodeFingerprint(code);
      } else if (code != null && !code.equals(status.getConsumedCodeFingerprint())) {
        remote = reauthorizer.reauthorize(cr, status, id, inputs, code);
      }
      InstancePatch patch = AppliedState.patch(inputs.desired(), status.getAppliedFingerprints());
      if (!patch.isEmpty()) {
        remote = cloudElements.update(inputs.account(), id, patch);
        status.setAppliedFingerprints(AppliedState.fingerprints(inputs.desired()));
        if (!adopting) {
          events.normal(
              cr,
              EventReason.UPDATED,
              "Updated " + String.join(", ", patch.changedParts()) + " of instance " + id);
        }
      }
      boolean hadRecord = seen.output().isPresent() || status.getInstanceId() != null;
      RemoteInstance answered = remote;
      boolean intact =
          seen.output().filter(secret -> InstanceSecret.holds(secret, cr, answered)).isPresent();
      if (InstanceSecret.write(
              seen.secrets(), cr, seen.output(), remote, inputs.webhookKey().keyValue())
          && hadRecord
          && !adopting
          && !intact) {
        events.normal(
            cr,
            EventReason.SECRET_RESTORED,
            "Secret " + secretName + " was rewritten with the id and " + "token of instance " + id);
      }
      RemoteCreation.record(status, remote, secretName);
      WebhookKeys.record(cr, status, inputs.webhookKey(), events);
      if (adopting) {
        events.normal(
            cr,
            EventReason.ADOPTED,
            "Adopted instance "
                + id
                + " (spec.instanceId); Secret "
                + secretName
                + " holds its id and token");
      }
      if (!remote.valid()
          && InputResolver.usesConsent(cr)
          && (code == null || code.equals(status.getConsumedCodeFingerprint()))) {
        return Optional.of(
            consent.await(
                seen,
                inputs,
                "Cloud Elements reports instance "
                    + id
                    + " as not valid; re-authorizing it needs"));
      }
      if (!remote.valid()) {
        return Optional.of(
            Decision.resync(
                new Outcome(
                    ReadyReason.INSTANCE_INVALID,
                    "Cloud Elements reports "
                        + "instance "
                        + id
                        + " as not valid; re-authorize it (oauth: put a new code into the authorization code "
                        + "Secret)")));
      }
      ConsentStep.used(seen);
      return Optional.of(Decision.resync(Outcome.available(id, secretName)));
    } catch (CloudElementsException e) {
      return Optional.of(Decision.failed(e, inputs.fingerprint()));
    }
  }
}
