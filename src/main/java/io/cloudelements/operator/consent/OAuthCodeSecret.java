package io.cloudelements.operator.consent;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.SecretKeyReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The operator-owned Secret {@code <name>-oauth-code} where the callback stores the authorization
 * code of a consent, under the key {@value #KEY}. The code stays there after use; the status
 * remembers which code was used.
 */
public final class OAuthCodeSecret {

  public static final String KEY = "code";

  /** The label of every Secret the operator writes (the output Secret carries the same). */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY = "campaign-monitor-operator";
  public static final String SUFFIX = "-oauth-code";

  private OAuthCodeSecret() {}

  public static String nameOf(String resourceName) {
    return resourceName + SUFFIX;
  }

  /** The reference the reconciler reads when the spec names no authorizationCodeRef. */
  public static SecretKeyReference referenceFor(CampaignMonitorInstance cr) {
    return new SecretKeyReference(nameOf(cr.getMetadata().getName()), KEY);
  }

  /** The Secret with the code, a controller reference to the resource and the managed-by label. */
  public static Secret build(CampaignMonitorInstance cr, String code) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(nameOf(cr.getMetadata().getName()))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
        .withOwnerReferences(ownerReference(cr))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(KEY, Base64.getEncoder().encodeToString(code.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** Whether the Secret carries a controller reference to this very resource (same uid). */
  public static boolean isControlledBy(Secret secret, CampaignMonitorInstance cr) {
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o ->
                    Boolean.TRUE.equals(o.getController())
                        && cr.getMetadata().getUid().equals(o.getUid()));
  }

  private static OwnerReference ownerReference(CampaignMonitorInstance cr) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cr.getApiVersion())
        .withKind(cr.getKind())
        .withName(cr.getMetadata().getName())
        .withUid(cr.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
