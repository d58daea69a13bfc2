package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A status condition in the shape of metav1.Condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  @Required private String type;
  @Required private String status;
  private Long observedGeneration;
  @Required private String lastTransitionTime;
  @Required private String reason;
  @Required private String message;

  public Condition() {}

  public Condition(
      String type,
      String status,
      Long observedGeneration,
      String lastTransitionTime,
      String reason,
      String message) {
    this.type = type;
    this.status = status;
    this.observedGeneration = observedGeneration;
    this.lastTransitionTime = lastTransitionTime;
    this.reason = reason;
    this.message = message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @JsonIgnore
  public boolean isTrue() {
    return TRUE.equals(status);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c
        && Objects.equals(type, c.type)
        && Objects.equals(status, c.status)
        && Objects.equals(observedGeneration, c.observedGeneration)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(reason, c.reason)
        && Objects.equals(message, c.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, observedGeneration, lastTransitionTime, reason, message);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + "): " + message;
  }
}
