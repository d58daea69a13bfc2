package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed. Never holds a token or a secret value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CampaignMonitorInstanceStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Id of the remote element instance.")
  private Long instanceId;

  @JsonPropertyDescription("Name of the Secret holding the instance id and token.")
  private String secretName;

  @JsonPropertyDescription(
      "sha256:<first 12 hex digits of SHA-256(token)>, to tell tokens apart without showing them.")
  private String tokenFingerprint;

  @JsonPropertyDescription(
      "sha256:<first 12 hex digits of SHA-256(key)> of the webhook signature key in use; "
          + "absent when callbacks are unsigned.")
  private String webhookSignatureKeyFingerprint;

  @JsonPropertyDescription(
      "The last value of the annotation cloudelements.io/rotate-webhook-key that was handled.")
  private String webhookKeyRotation;

  @JsonPropertyDescription(
      "Fingerprint of the OAuth authorization code that a failed create already used.")
  private String consumedCodeFingerprint;

  @JsonPropertyDescription(
      "Fingerprint of the inputs that ended in a terminal error; no call is made until they change.")
  private String stalledInputsFingerprint;

  @JsonPropertyDescription(
      "Fingerprints of the name, tags and each configuration key last applied remotely.")
  private Map<String, String> appliedFingerprints;

  @JsonPropertyDescription(
      "Where earlier versions marked that a POST /instances for this resource may have been sent (now the "
          + "annotation cloudelements.io/create-pending). Still read: while set, a create looks for the instance by its "
          + "ownership tag first; cleared once the instance id is recorded.")
  private String createIntent;

  @JsonPropertyDescription("The credentials Secret that carries this resource's in-use finalizer.")
  private String credentialsSecretName;

  @JsonPropertyDescription(
      "The consent the operator started to obtain an OAuth authorization code, if any.")
  private AuthorizationStatus authorization;

  @JsonPropertyDescription(
      "The last value of the annotation cloudelements.io/restart-consent that started a consent.")
  private String restartConsentHandled;

  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Long getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(Long instanceId) {
    this.instanceId = instanceId;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getTokenFingerprint() {
    return tokenFingerprint;
  }

  public void setTokenFingerprint(String tokenFingerprint) {
    this.tokenFingerprint = tokenFingerprint;
  }

  public String getWebhookSignatureKeyFingerprint() {
    return webhookSignatureKeyFingerprint;
  }

  public void setWebhookSignatureKeyFingerprint(String webhookSignatureKeyFingerprint) {
    this.webhookSignatureKeyFingerprint = webhookSignatureKeyFingerprint;
  }

  public String getWebhookKeyRotation() {
    return webhookKeyRotation;
  }

  public void setWebhookKeyRotation(String webhookKeyRotation) {
    this.webhookKeyRotation = webhookKeyRotation;
  }

  public String getConsumedCodeFingerprint() {
    return consumedCodeFingerprint;
  }

  public void setConsumedCodeFingerprint(String consumedCodeFingerprint) {
    this.consumedCodeFingerprint = consumedCodeFingerprint;
  }

  public String getStalledInputsFingerprint() {
    return stalledInputsFingerprint;
  }

  public void setStalledInputsFingerprint(String stalledInputsFingerprint) {
    this.stalledInputsFingerprint = stalledInputsFingerprint;
  }

  public Map<String, String> getAppliedFingerprints() {
    return appliedFingerprints;
  }

  public void setAppliedFingerprints(Map<String, String> appliedFingerprints) {
    this.appliedFingerprints = appliedFingerprints;
  }

  public String getCreateIntent() {
    return createIntent;
  }

  public void setCreateIntent(String createIntent) {
    this.createIntent = createIntent;
  }

  public String getCredentialsSecretName() {
    return credentialsSecretName;
  }

  public void setCredentialsSecretName(String credentialsSecretName) {
    this.credentialsSecretName = credentialsSecretName;
  }

  public AuthorizationStatus getAuthorization() {
    return authorization;
  }

  public void setAuthorization(AuthorizationStatus authorization) {
    this.authorization = authorization;
  }

  public String getRestartConsentHandled() {
    return restartConsentHandled;
  }

  public void setRestartConsentHandled(String restartConsentHandled) {
    this.restartConsentHandled = restartConsentHandled;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /** The condition of the given type, if present. */
  @JsonIgnore
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Field by field, so that a reconcile can tell whether it changed the status without serializing
   * it; {@code CampaignMonitorInstanceStatusTest} checks that every field takes part.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CampaignMonitorInstanceStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(instanceId, s.instanceId)
        && Objects.equals(secretName, s.secretName)
        && Objects.equals(tokenFingerprint, s.tokenFingerprint)
        && Objects.equals(webhookSignatureKeyFingerprint, s.webhookSignatureKeyFingerprint)
        && Objects.equals(webhookKeyRotation, s.webhookKeyRotation)
        && Objects.equals(consumedCodeFingerprint, s.consumedCodeFingerprint)
        && Objects.equals(stalledInputsFingerprint, s.stalledInputsFingerprint)
        && Objects.equals(appliedFingerprints, s.appliedFingerprints)
        && Objects.equals(createIntent, s.createIntent)
        && Objects.equals(credentialsSecretName, s.credentialsSecretName)
        && Objects.equals(authorization, s.authorization)
        && Objects.equals(restartConsentHandled, s.restartConsentHandled)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        instanceId,
        secretName,
        tokenFingerprint,
        webhookSignatureKeyFingerprint,
        webhookKeyRotation,
        consumedCodeFingerprint,
        stalledInputsFingerprint,
        appliedFingerprints,
        createIntent,
        credentialsSecretName,
        authorization,
        restartConsentHandled,
        conditions);
  }
}
