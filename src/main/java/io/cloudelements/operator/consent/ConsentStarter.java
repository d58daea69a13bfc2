package io.cloudelements.operator.consent;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.ConsentRequest;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Starts, keeps or refuses the consent of a resource that needs an authorization code and has no
 * unused one. Every decision is taken from the resource's status, so any replica, and a restarted
 * operator, decides the same: an open, unexpired consent is kept with its URL and state; an expired
 * one is replaced by a fresh state and URL; a denied one stays denied until the annotation {@value
 * #RESTART_ANNOTATION} gets a new value or the spec changes.
 */
public final class ConsentStarter {

  /** Each new value of this annotation starts one new consent. */
  public static final String RESTART_ANNOTATION = "cloudelements.io/restart-consent";

  private final CloudElementsClient cloudElements;
  private final StateSigner signer;
  private final Clock clock;
  private final Duration ttl;

  public ConsentStarter(
      CloudElementsClient cloudElements, StateSigner signer, Clock clock, Duration ttl) {
    this.cloudElements = cloudElements;
    this.signer = signer;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * Decides, and writes a started consent into {@code status}. A Cloud Elements failure throws
   * {@link io.cloudelements.operator.cloudelements.CloudElementsException}, for the caller to
   * classify.
   */
  public ConsentDecision decide(
      CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status,
      AccountCredentials account,
      DesiredInstance.OAuth oauth) {
    Instant now = clock.instant();
    AuthorizationStatus current = status.getAuthorization();
    String restart = restartValue(cr);
    boolean restartAsked = restart != null && !restart.equals(status.getRestartConsentHandled());
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    if (current != null && !restartAsked && Objects.equals(current.getGeneration(), generation)) {
      if (current.getResult() == AuthorizationStatus.Result.Denied) {
        return new ConsentDecision.Denied();
      }
      // Approved, and its code not used yet: the informer has not brought the code Secret yet.
      if (current.getResult() == AuthorizationStatus.Result.Approved
          && !Objects.equals(current.getCodeFingerprint(), status.getConsumedCodeFingerprint())) {
        return new ConsentDecision.Approved();
      }
      Duration left = timeLeft(current, now);
      if (current.getUsedAt() == null
          && left.compareTo(Duration.ZERO) > 0
          && current.getUrl() != null) {
        return new ConsentDecision.Pending(current, left);
      }
    }
    String attempt = signer.newAttempt();
    Instant expiresAt = now.plus(ttl);
    String state =
        signer.issue(
            cr.getMetadata().getNamespace(),
            cr.getMetadata().getName(),
            cr.getMetadata().getUid(),
            attempt,
            expiresAt);
    String url =
        cloudElements.consentUrl(
            account,
            new ConsentRequest(
                oauth.consumerKey(), oauth.consumerSecret(), oauth.callbackUrl(), state));
    if (restart != null) {
      status.setRestartConsentHandled(restart);
    }
    if (holdsSecret(url, oauth.consumerSecret())) {
      status.setAuthorization(null);
      return new ConsentDecision.SecretInUrl();
    }
    AuthorizationStatus started = new AuthorizationStatus();
    started.setUrl(url);
    started.setExpiresAt(expiresAt.toString());
    started.setAttempt(attempt);
    started.setGeneration(generation);
    status.setAuthorization(started);
    return new ConsentDecision.Started(started, ttl);
  }

  /** Whether the URL carries the consumer secret, as it is, URL-encoded, or once decoded. */
  static boolean holdsSecret(String url, String secret) {
    if (secret == null || secret.isEmpty()) {
      return false;
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(url, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = url;
    }
    return url.contains(secret)
        || decoded.contains(secret)
        || url.contains(URLEncoder.encode(secret, StandardCharsets.UTF_8));
  }

  private static Duration timeLeft(AuthorizationStatus authorization, Instant now) {
    try {
      return authorization.getExpiresAt() == null
          ? Duration.ZERO
          : Duration.between(now, Instant.parse(authorization.getExpiresAt()));
    } catch (DateTimeParseException e) {
      return Duration.ZERO;
    }
  }

  private static String restartValue(CampaignMonitorInstance cr) {
    Map<String, String> annotations = cr.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(RESTART_ANNOTATION);
  }
}
