package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the remote instance exactly once: look up instances carrying the ownership tag first, adopt the one found
 * or POST, then write the output Secret before anything else.
 */
final class RemoteCreation {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCreation.class);

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;

  RemoteCreation(CloudElementsClient cloudElements, EventPublisher events) {
    this.cloudElements = cloudElements;
    this.events = events;
  }

  /**
   * @param replacing true when a recorded instance vanished remotely and this creates its replacement
   */
  ReconcileResult create(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, ResolvedInputs inputs,
      Optional<Secret> output, Context<CampaignMonitorInstance> context, boolean replacing) {
    String fingerprint = inputs.fingerprint();
    String code = inputs.authorizationCodeFingerprint();
    try {
      List<RemoteInstance> owned = cloudElements.findByTag(inputs.account(), inputs.desired().ownershipTag());
      if (owned.size() > 1) {
        status.setStalledInputsFingerprint(fingerprint);
        return ReconcileResult.of(Reasons.DUPLICATE_INSTANCES, "Instances "
            + owned.stream().map(i -> Long.toString(i.id())).collect(Collectors.joining(", "))
            + " all carry this resource's ownership tag; delete all but one of them in Cloud Elements");
      }
      RemoteInstance instance;
      String event;
      if (owned.size() == 1) {
        instance = owned.get(0);
        event = "Adopted";
      } else {
        Optional<ReconcileResult> blocked = needsNewCode(cr, status, inputs, replacing);
        if (blocked.isPresent()) {
          return blocked.get();
        }
        instance = post(status, inputs, code);
        event = replacing ? "Recreated" : "Created";
      }
      InstanceSecret.write(context, cr, output, instance);
      record(status, instance, InstanceSecret.nameOf(cr));
      status.setAppliedFingerprints(AppliedState.fingerprints(inputs.desired()));
      LOG.info("{} instance {}", event, instance.id());
      events.normal(cr, event, event + " instance " + instance.id() + "; Secret " + InstanceSecret.nameOf(cr)
          + " holds its id and token");
      return ReconcileResult.of(Outcome.available(instance.id(), InstanceSecret.nameOf(cr)));
    } catch (CloudElementsException e) {
      return ReconcileResult.failed(status, e, fingerprint);
    }
  }

  /** OAuth codes are single-use: a code that is missing or was already sent cannot create an instance. */
  private static Optional<ReconcileResult> needsNewCode(CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status, ResolvedInputs inputs, boolean replacing) {
    if (cr.getSpec().getOauth() == null) {
      return Optional.empty();
    }
    SecretKeyReference ref = cr.getSpec().getOauth().getAuthorizationCodeRef();
    String code = inputs.authorizationCodeFingerprint();
    if (code == null) {
      return Optional.of(ReconcileResult.of(Reasons.WAITING_FOR_SECRET, "Creating the instance needs an "
          + "authorization code: " + ref + " is missing or empty"));
    }
    if (code.equals(status.getConsumedCodeFingerprint())) {
      status.setStalledInputsFingerprint(inputs.fingerprint());
      String why = replacing ? "The instance was deleted in Cloud Elements and creating it again needs"
          : "Creating the instance needs";
      return Optional.of(ReconcileResult.of(Reasons.AUTHORIZATION_REQUIRED, why + " a new authorization code: the "
          + "code in " + ref + " was already used and codes are single-use; put a new code into it"));
    }
    return Optional.empty();
  }

  private RemoteInstance post(CampaignMonitorInstanceStatus status, ResolvedInputs inputs, String code) {
    try {
      RemoteInstance created = cloudElements.create(inputs.account(), inputs.desired());
      status.setConsumedCodeFingerprint(code);
      return created;
    } catch (CloudElementsException e) {
      if (code != null && FailureClassifier.isRejection(e)) {
        status.setConsumedCodeFingerprint(code);
      }
      throw e;
    }
  }

  static void record(CampaignMonitorInstanceStatus status, RemoteInstance instance, String secretName) {
    status.setInstanceId(instance.id());
    status.setSecretName(secretName);
    status.setTokenFingerprint(Fingerprints.of(instance.token()));
  }
}
