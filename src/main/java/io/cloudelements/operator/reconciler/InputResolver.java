package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceSpec;
import io.cloudelements.operator.api.EventsSpec;
import io.cloudelements.operator.api.OAuthSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.consent.OAuthCodeSecret;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import io.cloudelements.operator.webhook.WebhookSigningMode;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the Secrets a resource references and turns its spec into {@link ResolvedInputs}. */
public final class InputResolver {

  public static final String USER_SECRET_KEY = "userSecret";
  public static final String ORGANIZATION_SECRET_KEY = "organizationSecret";

  private InputResolver() {}

  /**
   * Thrown when a referenced Secret, or a key in it, is missing or empty. The message names them.
   */
  public static final class MissingSecretException extends Exception {
    MissingSecretException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Resolves every input. The OAuth authorization code is only needed to create or re-authorize;
   * when {@code codeRequired} is false, a missing code resolves to null.
   */
  public static ResolvedInputs resolve(
      CampaignMonitorInstance cr, SecretLookup secrets, boolean codeRequired)
      throws MissingSecretException {
    CampaignMonitorInstanceSpec spec = cr.getSpec();
    AccountCredentials account = resolveAccount(cr, secrets);
    DesiredInstance.Authorization authorization;
    OAuthSpec oauth = spec.getOauth();
    if (oauth != null) {
      String code;
      try {
        code = read(secrets, codeReference(cr));
      } catch (MissingSecretException e) {
        if (codeRequired) {
          throw e;
        }
        code = null;
      }
      authorization =
          new DesiredInstance.OAuth(
              oauth.getCallbackUrl(),
              read(secrets, oauth.getConsumerKeyRef()),
              read(secrets, oauth.getConsumerSecretRef()),
              code);
    } else {
      authorization = new DesiredInstance.Basic(read(secrets, spec.getBasic().getApiKeyRef()));
    }
    EventsSpec events = spec.getEvents();
    String userKey =
        WebhookSigningMode.of(events) == WebhookSigningMode.USER_KEY
            ? read(secrets, events.getSignatureKeyRef())
            : null;
    WebhookKeyPlanner.Plan webhookKey = WebhookKeys.plan(cr, secrets, userKey);
    return new ResolvedInputs(
        account,
        new DesiredInstance(
            instanceName(cr),
            spec.getTags(),
            OwnershipTag.of(cr),
            authorization,
            events(events, webhookKey)),
        webhookKey);
  }

  /** Reads only the account credentials. */
  public static AccountCredentials resolveAccount(CampaignMonitorInstance cr, SecretLookup secrets)
      throws MissingSecretException {
    String credentials = cr.getSpec().getCredentialsRef().getName();
    return new AccountCredentials(
        read(secrets, new SecretKeyReference(credentials, USER_SECRET_KEY)),
        read(secrets, new SecretKeyReference(credentials, ORGANIZATION_SECRET_KEY)));
  }

  /**
   * Where the OAuth authorization code is read: the spec's authorizationCodeRef, else the Secret
   * that the consent callback writes ({@link OAuthCodeSecret}).
   */
  public static SecretKeyReference codeReference(CampaignMonitorInstance cr) {
    SecretKeyReference ref = cr.getSpec().getOauth().getAuthorizationCodeRef();
    return ref != null ? ref : OAuthCodeSecret.referenceFor(cr);
  }

  /**
   * Whether the operator obtains the OAuth code itself through a consent: oauth without
   * authorizationCodeRef.
   */
  public static boolean usesConsent(CampaignMonitorInstance cr) {
    return cr.getSpec() != null
        && cr.getSpec().getOauth() != null
        && cr.getSpec().getOauth().getAuthorizationCodeRef() == null;
  }

  /**
   * The referenced Secrets and, with a consent, the code Secret the callback writes (not the output
   * Secret).
   */
  public static List<String> watchedSecretNames(CampaignMonitorInstance cr) {
    List<String> names = referencedSecretNames(cr.getSpec());
    if (usesConsent(cr)) {
      names.add(OAuthCodeSecret.nameOf(cr.getMetadata().getName()));
    }
    return names;
  }

  /** The names of every Secret the spec references (not the output Secret). */
  public static List<String> referencedSecretNames(CampaignMonitorInstanceSpec spec) {
    List<String> names = new ArrayList<>();
    if (spec == null) {
      return names;
    }
    if (spec.getCredentialsRef() != null) {
      names.add(spec.getCredentialsRef().getName());
    }
    if (spec.getOauth() != null) {
      OAuthSpec o = spec.getOauth();
      for (SecretKeyReference ref :
          new SecretKeyReference[] {
            o.getConsumerKeyRef(), o.getConsumerSecretRef(), o.getAuthorizationCodeRef()
          }) {
        if (ref != null) {
          names.add(ref.getName());
        }
      }
    }
    if (spec.getBasic() != null && spec.getBasic().getApiKeyRef() != null) {
      names.add(spec.getBasic().getApiKeyRef().getName());
    }
    if (spec.getEvents() != null && spec.getEvents().getSignatureKeyRef() != null) {
      names.add(spec.getEvents().getSignatureKeyRef().getName());
    }
    return names;
  }

  public static String instanceName(CampaignMonitorInstance cr) {
    String name = cr.getSpec().getInstanceName();
    return name == null || name.isBlank() ? cr.getMetadata().getName() : name;
  }

  private static DesiredInstance.Events events(
      EventsSpec events, WebhookKeyPlanner.Plan webhookKey) {
    if (events == null) {
      return null;
    }
    return new DesiredInstance.Events(
        events.isEnabled(), events.getCallbackUrl(), events.getListIds(), webhookKey.keyValue());
  }

  private static String read(SecretLookup secrets, SecretKeyReference ref)
      throws MissingSecretException {
    Optional<Secret> secret = secrets.find(ref.getName());
    if (secret.isEmpty()) {
      throw new MissingSecretException(
          "Secret " + ref.getName() + " (key " + ref.getKey() + ") does not exist");
    }
    Optional<String> value = SecretLookup.value(secret.get(), ref.getKey());
    if (value.isEmpty()) {
      throw new MissingSecretException("Secret " + ref.getName() + " has no key " + ref.getKey());
    }
    if (value.get().isBlank()) {
      throw new MissingSecretException(
          "Secret " + ref.getName() + " key " + ref.getKey() + " is empty");
    }
    String trimmed = value.get().trim();
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new MissingSecretException(
          "Secret "
              + ref.getName()
              + " key "
              + ref.getKey()
              + " holds a line break or another control character; store the value alone");
    }
    return trimmed;
  }
}
