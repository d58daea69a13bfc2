package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.consent.ConsentDecision;
import io.cloudelements.operator.consent.ConsentStarter;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of step 3, act, for a resource that obtains its OAuth code through a consent and has no
 * unused one: start (or keep) the consent and say so, wait for a denied one to be restarted, or
 * refuse a URL that holds the consumer secret.
 */
final class ConsentStep {

  private static final Logger LOG = LoggerFactory.getLogger(ConsentStep.class);

  private final ConsentStarter starter;
  private final EventPublisher events;
  private final Clock clock;

  ConsentStep(ConsentStarter starter, EventPublisher events, Clock clock) {
    this.starter = starter;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param need what the code is needed for, as the start of a sentence ("Creating the instance
   *     needs")
   */
  Decision await(Observation seen, ResolvedInputs inputs, String need) {
    CampaignMonitorInstance cr = seen.cr();
    DesiredInstance.OAuth oauth = (DesiredInstance.OAuth) inputs.desired().authorization();
    restoreStarted(seen);
    ConsentDecision decision;
    try {
      decision = starter.decide(cr, seen.status(), inputs.account(), oauth);
    } catch (CloudElementsException e) {
      return Decision.failed(e, inputs.fingerprint());
    }
    if (decision instanceof ConsentDecision.Started started) {
      seen.memory()
          .startedConsent(
              new ResourceMemory.StartedConsent(
                  started.authorization(), seen.status().getRestartConsentHandled()));
      String message = awaiting(cr, started.authorization(), need);
      LOG.info("Started an OAuth consent, attempt {}", started.authorization().getAttempt());
      events.normal(cr, EventReason.AWAITING_CONSENT, message);
      return awaitingUntil(started.authorization(), message);
    }
    if (decision instanceof ConsentDecision.Pending pending) {
      return awaitingUntil(pending.authorization(), awaiting(cr, pending.authorization(), need));
    }
    if (decision instanceof ConsentDecision.Approved) {
      return Decision.waitFor(
          ReadyReason.AWAITING_CONSENT,
          "Access was approved; waiting for the code in Secret "
              + InputResolver.codeReference(cr).getName());
    }
    if (decision instanceof ConsentDecision.Denied) {
      return Decision.waitFor(
          ReadyReason.CONSENT_DENIED,
          "Access was denied at the Campaign Monitor consent page. "
              + "To ask again, set a new value on the annotation "
              + ConsentStarter.RESTART_ANNOTATION
              + " (kubectl annotate cmi "
              + cr.getMetadata().getName()
              + " "
              + ConsentStarter.RESTART_ANNOTATION
              + "=\"$(date +%s)\" --overwrite), or change the spec");
    }
    return Decision.stalledOn(
        inputs.fingerprint(),
        ReadyReason.CONSENT_URL_UNSAFE,
        "Cloud Elements answered a "
            + "consent URL that holds the OAuth consumer secret; it was not published. Check the Cloud Elements base URL "
            + "and the OAuth app, or name a code yourself in spec.oauth.authorizationCodeRef");
  }

  /** Forgets the consent this process started: its code was used. */
  static void used(Observation seen) {
    seen.status().setAuthorization(null);
    seen.memory().startedConsent(null);
  }

  /**
   * A status that does not show the consent this process started last, while that one is still
   * open, is a cached copy from before its write: the started one counts. (A newer status shows its
   * attempt, used or not.)
   */
  private void restoreStarted(Observation seen) {
    ResourceMemory.StartedConsent started = seen.memory().startedConsent();
    if (started == null) {
      return;
    }
    AuthorizationStatus current = seen.status().getAuthorization();
    boolean open = clock.instant().isBefore(Instant.parse(started.authorization().getExpiresAt()));
    if (open
        && (current == null
            || !started.authorization().getAttempt().equals(current.getAttempt()))) {
      seen.status().setAuthorization(copy(started.authorization()));
      seen.status().setRestartConsentHandled(started.restartHandled());
    }
  }

  private static AuthorizationStatus copy(AuthorizationStatus a) {
    AuthorizationStatus c = new AuthorizationStatus();
    c.setUrl(a.getUrl());
    c.setExpiresAt(a.getExpiresAt());
    c.setAttempt(a.getAttempt());
    c.setGeneration(a.getGeneration());
    return c;
  }

  private static Decision awaitingUntil(AuthorizationStatus authorization, String message) {
    return new Decision(
        new Outcome(ReadyReason.AWAITING_CONSENT, message),
        new Next.ConsentExpires(Instant.parse(authorization.getExpiresAt())),
        null);
  }

  private static String awaiting(
      CampaignMonitorInstance cr, AuthorizationStatus authorization, String need) {
    return need
        + " an authorization code: open the consent URL in status.authorization.url (kubectl get cmi "
        + cr.getMetadata().getName()
        + " -o wide, column CONSENT-URL) and approve access before "
        + authorization.getExpiresAt()
        + "; the operator receives the code itself";
  }
}
