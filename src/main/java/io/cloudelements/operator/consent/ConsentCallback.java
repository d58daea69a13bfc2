package io.cloudelements.operator.consent;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one OAuth callback. A valid state is checked against the resource's status (same uid,
 * current attempt, not used yet), then spent there with an optimistic-locking status update, so
 * that of two replicas receiving the same state only one spends it; only that one writes the code.
 * A bad callback writes nothing and spends nothing.
 */
public final class ConsentCallback {

  /** Longer than any real code, short enough to bound what is stored. */
  static final int MAX_CODE_LENGTH = 2048;

  /**
   * The characters of real codes (unreserved URL characters and base64); anything else is not a
   * code.
   */
  private static final Pattern CODE =
      Pattern.compile("[A-Za-z0-9._~+/=-]{1," + MAX_CODE_LENGTH + "}");

  private static final int SPEND_TRIES = 3;
  private static final Logger LOG = LoggerFactory.getLogger(ConsentCallback.class);

  private final KubernetesClient kubernetes;
  private final StateSigner signer;
  private final Clock clock;

  public ConsentCallback(KubernetesClient kubernetes, StateSigner signer, Clock clock) {
    this.kubernetes = kubernetes;
    this.signer = signer;
    this.clock = clock;
  }

  /**
   * What the callback answered, and for which resource (namespace/name) when the state was valid.
   */
  public record Answer(CallbackResult result, String resource) {}

  /**
   * @param state the state parameter, null when absent
   * @param code the code parameter, null when absent
   * @param error the error parameter, null when absent
   * @param dryRun true for HEAD: check everything, write nothing
   */
  public Answer handle(String state, String code, String error, boolean dryRun) {
    if (state == null || state.isEmpty()) {
      return new Answer(CallbackResult.MISSING_STATE, null);
    }
    Optional<ConsentState> verified = signer.verify(state);
    if (verified.isEmpty()) {
      return new Answer(CallbackResult.INVALID_STATE, null);
    }
    ConsentState consent = verified.get();
    if (consent.expired(clock.instant())) {
      return new Answer(CallbackResult.EXPIRED_STATE, consent.resource());
    }
    if (error == null && (code == null || code.isEmpty())) {
      return new Answer(CallbackResult.MISSING_CODE, consent.resource());
    }
    if (error == null && !CODE.matcher(code).matches()) {
      return new Answer(CallbackResult.INVALID_CODE, consent.resource());
    }
    for (int i = 0; i < SPEND_TRIES; i++) {
      CampaignMonitorInstance cr =
          kubernetes
              .resources(CampaignMonitorInstance.class)
              .inNamespace(consent.namespace())
              .withName(consent.name())
              .get();
      Optional<CallbackResult> refused = refuse(consent, cr);
      if (refused.isPresent()) {
        return new Answer(refused.get(), consent.resource());
      }
      if (error == null) {
        Secret existing =
            kubernetes
                .secrets()
                .inNamespace(consent.namespace())
                .withName(OAuthCodeSecret.nameOf(consent.name()))
                .get();
        if (existing != null && !OAuthCodeSecret.isControlledBy(existing, cr)) {
          return new Answer(CallbackResult.CODE_SECRET_CONFLICT, consent.resource());
        }
      }
      if (dryRun) {
        return new Answer(CallbackResult.CHECKED, consent.resource());
      }
      AuthorizationStatus.Result result =
          error == null ? AuthorizationStatus.Result.Approved : AuthorizationStatus.Result.Denied;
      if (!spend(cr, result, error == null ? Fingerprints.of(code) : null)) {
        continue;
      }
      if (error != null) {
        LOG.info("OAuth consent for {} was denied at the provider", consent.resource());
        return new Answer(CallbackResult.DENIED, consent.resource());
      }
      try {
        kubernetes
            .secrets()
            .inNamespace(consent.namespace())
            .resource(OAuthCodeSecret.build(cr, code))
            .createOr(op -> op.update());
      } catch (KubernetesClientException e) {
        LOG.warn(
            "Storing the OAuth code of {} failed: Kubernetes API answered {}",
            consent.resource(),
            e.getCode());
        unspend(consent);
        return new Answer(CallbackResult.FAILED, consent.resource());
      }
      LOG.info(
          "OAuth consent for {} approved; code stored in Secret {}",
          consent.resource(),
          OAuthCodeSecret.nameOf(consent.name()));
      return new Answer(CallbackResult.APPROVED, consent.resource());
    }
    return new Answer(CallbackResult.BUSY, consent.resource());
  }

  private Optional<CallbackResult> refuse(ConsentState consent, CampaignMonitorInstance cr) {
    if (cr == null
        || !consent.uid().equals(cr.getMetadata().getUid())
        || cr.getMetadata().getDeletionTimestamp() != null) {
      return Optional.of(CallbackResult.UNKNOWN_RESOURCE);
    }
    AuthorizationStatus current = cr.getStatus() == null ? null : cr.getStatus().getAuthorization();
    if (current == null || !consent.attempt().equals(current.getAttempt())) {
      return Optional.of(CallbackResult.SUPERSEDED_STATE);
    }
    if (current.getUsedAt() != null) {
      return Optional.of(CallbackResult.REPLAYED_STATE);
    }
    return Optional.empty();
  }

  /**
   * Marks the attempt used, on the resource version just read: false when the resource changed
   * meanwhile.
   */
  private boolean spend(
      CampaignMonitorInstance cr, AuthorizationStatus.Result result, String codeFingerprint) {
    cr.getStatus().getAuthorization().setUsedAt(Instant.now(clock).toString());
    cr.getStatus().getAuthorization().setResult(result);
    cr.getStatus().getAuthorization().setCodeFingerprint(codeFingerprint);
    try {
      kubernetes
          .resources(CampaignMonitorInstance.class)
          .inNamespace(cr.getMetadata().getNamespace())
          .resource(cr)
          .lockResourceVersion(cr.getMetadata().getResourceVersion())
          .updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /**
   * After the code could not be stored, makes the attempt usable again, unless it changed
   * meanwhile.
   */
  private void unspend(ConsentState consent) {
    try {
      CampaignMonitorInstance cr =
          kubernetes
              .resources(CampaignMonitorInstance.class)
              .inNamespace(consent.namespace())
              .withName(consent.name())
              .get();
      CampaignMonitorInstanceStatus status = cr == null ? null : cr.getStatus();
      if (status != null
          && status.getAuthorization() != null
          && consent.attempt().equals(status.getAuthorization().getAttempt())) {
        status.getAuthorization().setUsedAt(null);
        status.getAuthorization().setResult(null);
        status.getAuthorization().setCodeFingerprint(null);
        kubernetes
            .resources(CampaignMonitorInstance.class)
            .inNamespace(consent.namespace())
            .resource(cr)
            .updateStatus();
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Releasing the OAuth state of {} failed: Kubernetes API answered {}",
          consent.resource(),
          e.getCode());
    }
  }
}
