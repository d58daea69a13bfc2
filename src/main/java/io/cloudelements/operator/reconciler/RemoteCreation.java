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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the remote instance exactly once: look up instances carrying the ownership tag first, adopt the one found
 * or POST, then write the output Secret before anything else.
 *
 * <p>A POST that got no answer (timeout, reset) may still be processed by Cloud Elements afterwards. So after one,
 * the next POST for that resource waits until {@code unansweredPostSettle} has passed, and the tag lookup made then
 * adopts the instance if the unanswered POST created it after all.
 *
 * <p>When the status of a successful POST is lost (the Secret write or the status patch failed), the instance is
 * adopted by its tag on the next reconcile; the code that POST used is remembered here, so that a code put into the
 * Secret meanwhile is still sent as a re-authorization.
 */
final class RemoteCreation {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCreation.class);

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;
  private final Reauthorizer reauthorizer;
  private final Clock clock;
  private final Duration unansweredPostSettle;
  /** Per resource uid, when its last POST got no answer. */
  private final Map<String, Instant> unansweredPosts = new ConcurrentHashMap<>();
  /** Per resource uid, the fingerprint of the code its last successful POST used. */
  private final Map<String, String> postedCodes = new ConcurrentHashMap<>();

  RemoteCreation(CloudElementsClient cloudElements, EventPublisher events, Clock clock,
      Duration unansweredPostSettle) {
    this.cloudElements = cloudElements;
    this.events = events;
    this.clock = clock;
    this.unansweredPostSettle = unansweredPostSettle;
    this.reauthorizer = new Reauthorizer(cloudElements, events);
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
        // Created by a POST of this process whose status was lost: that POST's code is the one in use, and a code
        // put into the Secret since then is sent now. (Without one, as after a crash, the current code is assumed.)
        String posted = postedCodes.get(cr.getMetadata().getUid());
        status.setConsumedCodeFingerprint(posted != null ? posted : code);
        if (code != null && !code.equals(status.getConsumedCodeFingerprint())) {
          instance = reauthorizer.reauthorize(cr, status, instance.id(), inputs, code);
        }
      } else {
        Optional<ReconcileResult> blocked = needsNewCode(cr, status, inputs, replacing);
        if (blocked.isPresent()) {
          return blocked.get();
        }
        Optional<ReconcileResult> settling = settling(cr);
        if (settling.isPresent()) {
          return settling.get();
        }
        instance = post(cr, status, inputs, code);
        event = replacing ? "Recreated" : "Created";
      }
      InstanceSecret.write(context, cr, output, instance);
      unansweredPosts.remove(cr.getMetadata().getUid());
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

  /** After an unanswered POST, no new POST until the settle time has passed: it may still take effect. */
  private Optional<ReconcileResult> settling(CampaignMonitorInstance cr) {
    Instant unanswered = unansweredPosts.get(cr.getMetadata().getUid());
    if (unanswered == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), unanswered.plus(unansweredPostSettle));
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    return Optional.of(new ReconcileResult(new Outcome(Reasons.UPSTREAM_UNAVAILABLE, "The last POST /instances got "
        + "no answer and may still take effect; looking for the instance again in " + left.toMillis()
        + " ms before posting again"), left, false));
  }

  private RemoteInstance post(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status,
      ResolvedInputs inputs, String code) {
    String uid = cr.getMetadata().getUid();
    try {
      RemoteInstance created = cloudElements.create(inputs.account(), inputs.desired());
      status.setConsumedCodeFingerprint(code);
      if (code != null) {
        postedCodes.put(uid, code);
      }
      return created;
    } catch (CloudElementsException e) {
      if (code != null && FailureClassifier.isRejection(e)) {
        status.setConsumedCodeFingerprint(code);
      }
      if (e.status() == 0) {
        unansweredPosts.put(uid, clock.instant());
      }
      throw e;
    }
  }

  /** Drops what is kept in memory for a resource that is gone. */
  void forget(String uid) {
    unansweredPosts.remove(uid);
    postedCodes.remove(uid);
  }

  static void record(CampaignMonitorInstanceStatus status, RemoteInstance instance, String secretName) {
    status.setInstanceId(instance.id());
    status.setSecretName(secretName);
    status.setTokenFingerprint(Fingerprints.of(instance.token()));
  }
}
