package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** OAuth 2 authorization: the Campaign Monitor app and a one-time authorization code. */
public class OAuthSpec {

  @JsonPropertyDescription("The redirect URI registered in the Campaign Monitor OAuth app (oauth.callback.url).")
  @Required
  @Size(max = 2048)
  @Pattern("^https://[^\\s]+$")
  private String callbackUrl;

  @JsonPropertyDescription("The OAuth app's client id (oauth.api.key).")
  @Required
  private SecretKeyReference consumerKeyRef;

  @JsonPropertyDescription("The OAuth app's client secret (oauth.api.secret).")
  @Required
  private SecretKeyReference consumerSecretRef;

  @JsonPropertyDescription("The single-use authorization grant code (providerData.code).")
  @Required
  private SecretKeyReference authorizationCodeRef;

  public String getCallbackUrl() {
    return callbackUrl;
  }

  public void setCallbackUrl(String callbackUrl) {
    this.callbackUrl = callbackUrl;
  }

  public SecretKeyReference getConsumerKeyRef() {
    return consumerKeyRef;
  }

  public void setConsumerKeyRef(SecretKeyReference consumerKeyRef) {
    this.consumerKeyRef = consumerKeyRef;
  }

  public SecretKeyReference getConsumerSecretRef() {
    return consumerSecretRef;
  }

  public void setConsumerSecretRef(SecretKeyReference consumerSecretRef) {
    this.consumerSecretRef = consumerSecretRef;
  }

  public SecretKeyReference getAuthorizationCodeRef() {
    return authorizationCodeRef;
  }

  public void setAuthorizationCodeRef(SecretKeyReference authorizationCodeRef) {
    this.authorizationCodeRef = authorizationCodeRef;
  }
}
