package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The output Secret that holds an instance's id and token, and the webhook signature key when
 * callbacks are signed.
 */
public final class InstanceSecret {

  public static final String ID_KEY = "id";
  public static final String TOKEN_KEY = "token";
  public static final String WEBHOOK_SIGNATURE_KEY = "webhookSignatureKey";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "campaign-monitor-operator";

  private InstanceSecret() {}

  public static String nameOf(CampaignMonitorInstance cr) {
    String name = cr.getSpec().getSecretName();
    return name == null || name.isBlank() ? cr.getMetadata().getName() + "-instance" : name;
  }

  /**
   * @param signatureKey the webhook signature key, or null when callbacks are unsigned
   */
  public static Secret build(
      CampaignMonitorInstance cr, RemoteInstance instance, String signatureKey) {
    Map<String, String> data =
        new TreeMap<>(
            Map.of(
                ID_KEY, encode(Long.toString(instance.id())), TOKEN_KEY, encode(instance.token())));
    if (signatureKey != null) {
      data.put(WEBHOOK_SIGNATURE_KEY, encode(signatureKey));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(nameOf(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
        .withOwnerReferences(ownerReference(cr))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /**
   * Writes the Secret for {@code instance} unless it already holds that id, token and signature key
   * (null: none); true when it wrote.
   */
  static boolean write(
      SecretStore secrets,
      CampaignMonitorInstance cr,
      Optional<Secret> existing,
      RemoteInstance instance,
      String signatureKey) {
    if (existing.isEmpty()) {
      secrets.create(build(cr, instance, signatureKey));
      return true;
    }
    Secret cached = existing.get();
    if (recordedId(cached).equals(Optional.of(instance.id()))
        && token(cached).equals(Optional.ofNullable(instance.token()))
        && signatureKey(cached).equals(Optional.ofNullable(signatureKey))
        && isControlledBy(cached, cr)) {
      return false;
    }
    Secret desired = build(cr, instance, signatureKey);
    Secret current = new SecretBuilder(cached).build();
    current.setData(desired.getData());
    current.setStringData(null);
    current.getMetadata().setLabels(desired.getMetadata().getLabels());
    current.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    secrets.update(current);
    return true;
  }

  /** True when the Secret is this resource's and holds the id and token of {@code instance}. */
  static boolean holds(Secret secret, CampaignMonitorInstance cr, RemoteInstance instance) {
    return isControlledBy(secret, cr)
        && recordedId(secret).equals(Optional.of(instance.id()))
        && token(secret).equals(Optional.ofNullable(instance.token()));
  }

  /**
   * Removes this resource's ownerReference, so that deleting the resource does not garbage-collect
   * the Secret.
   */
  public static Secret withoutOwner(Secret cached, CampaignMonitorInstance cr) {
    Secret secret = new SecretBuilder(cached).build();
    if (secret.getMetadata().getOwnerReferences() != null) {
      secret
          .getMetadata()
          .setOwnerReferences(
              secret.getMetadata().getOwnerReferences().stream()
                  .filter(ref -> !cr.getMetadata().getUid().equals(ref.getUid()))
                  .toList());
    }
    return secret;
  }

  public static boolean isControlledBy(Secret secret, CampaignMonitorInstance cr) {
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                ref ->
                    Boolean.TRUE.equals(ref.getController())
                        && cr.getMetadata().getUid().equals(ref.getUid()));
  }

  /** The instance id recorded in an output Secret, if it holds a valid one. */
  public static Optional<Long> recordedId(Secret secret) {
    return SecretLookup.value(secret, ID_KEY)
        .flatMap(
            id -> {
              try {
                return Optional.of(Long.parseLong(id.trim()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  public static Optional<String> token(Secret secret) {
    return SecretLookup.value(secret, TOKEN_KEY).filter(t -> !t.isBlank());
  }

  /** The webhook signature key kept in an output Secret, if it holds a non-blank one. */
  public static Optional<String> signatureKey(Secret secret) {
    return SecretLookup.value(secret, WEBHOOK_SIGNATURE_KEY).filter(k -> !k.isBlank());
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

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
