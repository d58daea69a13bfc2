package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.InstancePatch;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the remote instance exactly once: look up instances carrying the ownership tag first,
 * adopt the one found or POST, then write the output Secret before anything else.
 *
 * <p>A POST that got no answer (timeout, reset) may still be processed by Cloud Elements
 * afterwards. So after one, the next POST for that resource waits until {@code
 * unansweredPostSettle} has passed, and the tag lookup made then adopts the instance if the
 * unanswered POST created it after all.
 *
 * <p>The tag lookup is needed only when an earlier POST may have created an unrecorded instance:
 * when the resource carries a {@link CreateIntent} or memory an unanswered POST, or when a recorded
 * instance vanished. Otherwise the intent is written first (with the finalizer, see {@link
 * #postsAtOnce}) and the POST sent at once: one Cloud Elements call per create. Every POST follows
 * a stored intent: a re-create writes a new one after its lookup.
 *
 * <p>When the status of a successful POST is lost (the Secret write or the status patch failed),
 * the instance is adopted by its tag on the next reconcile; the code that POST used is remembered
 * in the {@link ResourceMemory}, so that a code put into the Secret meanwhile is still sent as a
 * re-authorization.
 */
final class RemoteCreation {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCreation.class);

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;
  private final Reauthorizer reauthorizer;
  private final ConsentStep consent;
  private final Clock clock;
  private final Duration unansweredPostSettle;

  RemoteCreation(
      CloudElementsClient cloudElements,
      EventPublisher events,
      Reauthorizer reauthorizer,
      ConsentStep consent,
      Clock clock,
      Duration unansweredPostSettle) {
    this.cloudElements = cloudElements;
    this.events = events;
    this.reauthorizer = reauthorizer;
    this.consent = consent;
    this.clock = clock;
    this.unansweredPostSettle = unansweredPostSettle;
  }

  /**
   * @param replacing true when a recorded instance vanished remotely and this creates its
   *     replacement
   */
  Decision create(Observation seen, ResolvedInputs inputs, boolean replacing, CreateIntent intent) {
    CampaignMonitorInstance cr = seen.cr();
    CampaignMonitorInstanceStatus status = seen.status();
    String code = inputs.authorizationCodeFingerprint();
    try {
      List<RemoteInstance> owned =
          replacing || (!intent.fresh() && CreateIntent.postMayHaveHappened(seen))
              ? cloudElements.findByTag(inputs.account(), inputs.desired().ownershipTag())
              : List.of();
      if (owned.size() > 1) {
        return Decision.stalledOn(
            inputs.fingerprint(),
            ReadyReason.DUPLICATE_INSTANCES,
            "Instances "
                + owned.stream().map(i -> Long.toString(i.id())).collect(Collectors.joining(", "))
                + " all carry this resource's ownership tag; delete all but one of them in Cloud Elements");
      }
      RemoteInstance instance;
      EventReason event;
      if (owned.size() == 1) {
        instance = owned.get(0);
        event = EventReason.ADOPTED;
        // Created by a POST of this process whose status was lost: that POST's code is the one
        // in use, and a code put into the Secret since then is sent now. (Without one, as after
        // a crash, the current code is assumed.)
        String posted = seen.memory().postedCode();
        status.setConsumedCodeFingerprint(posted != null ? posted : code);
        if (code != null && !code.equals(status.getConsumedCodeFingerprint())) {
          instance = reauthorizer.reauthorize(cr, status, instance.id(), inputs, code);
        }
        instance = sendSignatureKey(inputs, instance);
      } else {
        Optional<Decision> blocked =
            needsNewCode(seen, inputs, replacing, consent).or(() -> settling(seen.memory()));
        if (blocked.isPresent()) {
          return blocked.get();
        }
        if (!intent.fresh() && (replacing || !CreateIntent.present(seen))) {
          intent.record(seen);
        }
        instance = post(seen, inputs, code, intent);
        event = replacing ? EventReason.RECREATED : EventReason.CREATED;
      }
      InstanceSecret.write(
          seen.secrets(), cr, seen.output(), instance, inputs.webhookKey().keyValue());
      seen.memory().unansweredPost(null);
      record(status, instance, seen.secretName());
      ConsentStep.used(seen);
      CreateIntent.clearLegacy(seen);
      status.setAppliedFingerprints(AppliedState.fingerprints(inputs.desired()));
      WebhookKeys.record(cr, status, inputs.webhookKey(), events);
      LOG.info("{} instance {}", event, instance.id());
      events.normal(
          cr,
          event,
          event
              + " instance "
              + instance.id()
              + "; Secret "
              + seen.secretName()
              + " holds its id and token");
      return Decision.resync(Outcome.available(instance.id(), seen.secretName()));
    } catch (CloudElementsException e) {
      return Decision.failed(e, inputs.fingerprint());
    }
  }

  /**
   * An instance found by its tag was made by a POST whose answer or record was lost, with a
   * signature key that was lost with it (Cloud Elements never shows it again): it gets the key
   * planned now, which goes into the Secret.
   */
  private RemoteInstance sendSignatureKey(ResolvedInputs inputs, RemoteInstance instance) {
    InstancePatch patch = AppliedState.signatureKeyPatch(inputs.desired());
    return patch.isEmpty()
        ? instance
        : cloudElements.update(inputs.account(), instance.id(), patch);
  }

  /**
   * True when a create of this resource would POST now without a lookup: no instance recorded, no
   * earlier POST that may be unrecorded, and a usable code (or none needed). Its intent then goes
   * into the patch that puts the finalizer on, before anything else is touched.
   */
  static boolean postsAtOnce(Observation seen, ResolvedInputs inputs) {
    String code = inputs.authorizationCodeFingerprint();
    return seen.recordedId().isEmpty()
        && !CreateIntent.postMayHaveHappened(seen)
        && (seen.cr().getSpec().getOauth() == null
            || code != null && !code.equals(seen.status().getConsumedCodeFingerprint()));
  }

  /**
   * OAuth codes are single-use: a code that is missing or was already sent cannot create an
   * instance. Without an authorizationCodeRef, the operator then asks for one through a consent.
   */
  private static Optional<Decision> needsNewCode(
      Observation seen, ResolvedInputs inputs, boolean replacing, ConsentStep consent) {
    if (seen.cr().getSpec().getOauth() == null) {
      return Optional.empty();
    }
    SecretKeyReference ref = InputResolver.codeReference(seen.cr());
    String code = inputs.authorizationCodeFingerprint();
    if (InputResolver.usesConsent(seen.cr())
        && (code == null || code.equals(seen.status().getConsumedCodeFingerprint()))) {
      return Optional.of(
          consent.await(
              seen,
              inputs,
              replacing
                  ? "The instance was deleted in Cloud Elements and creating it again needs"
                  : "Creating the instance needs"));
    }
    if (code == null) {
      return Optional.of(
          Decision.waitFor(
              ReadyReason.WAITING_FOR_SECRET,
              "Creating the instance needs an "
                  + "authorization code: "
                  + ref
                  + " is missing or empty"));
    }
    if (code.equals(seen.status().getConsumedCodeFingerprint())) {
      String why =
          replacing
              ? "The instance was deleted in Cloud Elements and creating it again needs"
              : "Creating the instance needs";
      return Optional.of(
          Decision.stalledOn(
              inputs.fingerprint(),
              ReadyReason.AUTHORIZATION_REQUIRED,
              why
                  + " a new authorization code: the code in "
                  + ref
                  + " was already used and codes are single-use; put a "
                  + "new code into it"));
    }
    return Optional.empty();
  }

  /**
   * After an unanswered POST, no new POST until the settle time has passed: it may still take
   * effect.
   */
  private Optional<Decision> settling(ResourceMemory memory) {
    return new PostSettle(clock, unansweredPostSettle)
        .left(memory)
        .map(
            left ->
                Decision.retry(
                    new Outcome(
                        ReadyReason.UPSTREAM_UNAVAILABLE,
                        "The last POST /instances got "
                            + "no answer and may still take effect; looking for the instance again in "
                            + left.toMillis()
                            + " ms before posting again"),
                    left));
  }

  private RemoteInstance post(
      Observation seen, ResolvedInputs inputs, String code, CreateIntent intent) {
    intent.posting();
    if (code != null) {
      // Before it leaves: an instance adopted after a POST without an answer was made with this
      // code.
      seen.memory().posted(code);
    }
    try {
      RemoteInstance created = cloudElements.create(inputs.account(), inputs.desired());
      seen.status().setConsumedCodeFingerprint(code);
      return created;
    } catch (CloudElementsException e) {
      if (code != null && FailureClassifier.isRejection(e)) {
        seen.status().setConsumedCodeFingerprint(code);
      }
      if (e.status() == 0) {
        seen.memory().unansweredPost(clock.instant());
      } else if (FailureClassifier.isRejection(e)
          && seen.memory().unansweredPostAt() == null
          && intent.settled(seen, clock.instant().minus(unansweredPostSettle))) {
        intent.withdraw(seen);
      }
      throw e;
    }
  }

  static void record(
      CampaignMonitorInstanceStatus status, RemoteInstance instance, String secretName) {
    status.setInstanceId(instance.id());
    status.setSecretName(secretName);
    status.setTokenFingerprint(Fingerprints.of(instance.token()));
  }
}
