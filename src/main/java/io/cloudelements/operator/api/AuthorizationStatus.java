package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The consent the operator started for this resource. Kept here, not in memory, so that any replica
 * and a restarted operator agree on which attempt is current and whether its state was already
 * used. Holds nothing secret: the state is signed with a key that only the operator reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthorizationStatus {

  /** How a consent attempt ended at the callback. */
  public enum Result {
    Approved,
    Denied
  }

  @JsonPropertyDescription(
      "Open this URL in a browser and approve access; the provider then redirects to the "
          + "operator's callback.")
  private String url;

  @JsonPropertyDescription("When the consent URL and its state stop being accepted (RFC 3339).")
  private String expiresAt;

  @JsonPropertyDescription(
      "Random id of the current consent attempt; a state from any other attempt is rejected.")
  private String attempt;

  @JsonPropertyDescription("The metadata.generation the attempt was started for.")
  private Long generation;

  @JsonPropertyDescription(
      "When the callback used this attempt's state (RFC 3339); a used state is rejected.")
  private String usedAt;

  @JsonPropertyDescription("How the attempt ended at the callback: Approved or Denied.")
  private Result result;

  @JsonPropertyDescription(
      "sha256:<first 12 hex digits> of the code the callback stored for this attempt.")
  private String codeFingerprint;

  public String getCodeFingerprint() {
    return codeFingerprint;
  }

  public void setCodeFingerprint(String codeFingerprint) {
    this.codeFingerprint = codeFingerprint;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getAttempt() {
    return attempt;
  }

  public void setAttempt(String attempt) {
    this.attempt = attempt;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public String getUsedAt() {
    return usedAt;
  }

  public void setUsedAt(String usedAt) {
    this.usedAt = usedAt;
  }

  public Result getResult() {
    return result;
  }

  public void setResult(Result result) {
    this.result = result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthorizationStatus a
        && Objects.equals(url, a.url)
        && Objects.equals(expiresAt, a.expiresAt)
        && Objects.equals(attempt, a.attempt)
        && Objects.equals(generation, a.generation)
        && Objects.equals(usedAt, a.usedAt)
        && Objects.equals(result, a.result)
        && Objects.equals(codeFingerprint, a.codeFingerprint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, expiresAt, attempt, generation, usedAt, result, codeFingerprint);
  }
}
