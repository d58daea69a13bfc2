package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * OAuth 2 authorization: the Campaign Monitor app and a one-time authorization code, either named
 * here or obtained by the operator through a consent it serves itself.
 */
public class OAuthSpec {

  /**
   * https:// anywhere, or plain http only to a loopback host (RFC 8252 section 7.3); a port must be
   * digits only.
   */
  public static final String CALLBACK_URL_RULE =
      "self.matches(r'^https://\\S+$') || self.matches("
          + "r'^http://(127\\.0\\.0\\.1|localhost)(:[0-9]{1,5})?([/?#]\\S*)?$')";

  @JsonPropertyDescription(
      "The redirect URI registered in the Campaign Monitor OAuth app (oauth.callback.url). "
          + "Without authorizationCodeRef, the public URL of the operator's /oauth/callback endpoint.")
  @Required
  @Size(max = 2048)
  @ValidationRule(
      value = CALLBACK_URL_RULE,
      message =
          "oauth.callbackUrl must be an https:// URL, or a loopback "
              + "http://127.0.0.1 or http://localhost URL")
  private String callbackUrl;

  @JsonPropertyDescription("The OAuth app's client id (oauth.api.key).")
  @Required
  private SecretKeyReference consumerKeyRef;

  @JsonPropertyDescription("The OAuth app's client secret (oauth.api.secret).")
  @Required
  private SecretKeyReference consumerSecretRef;

  @JsonPropertyDescription(
      "The single-use authorization grant code (providerData.code). Optional: without it, the "
          + "operator publishes a consent URL in status.authorization and receives the code itself.")
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
