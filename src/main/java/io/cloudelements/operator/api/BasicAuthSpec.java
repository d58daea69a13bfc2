package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Basic authorization with a Campaign Monitor API key; no OAuth code is needed. */
public class BasicAuthSpec {

  @JsonPropertyDescription("The Campaign Monitor API key, sent as configuration \"username\".")
  @Required
  private SecretKeyReference apiKeyRef;

  public SecretKeyReference getApiKeyRef() {
    return apiKeyRef;
  }

  public void setApiKeyRef(SecretKeyReference apiKeyRef) {
    this.apiKeyRef = apiKeyRef;
  }
}
