package io.cloudelements.operator.cloudelements;

/**
 * What {@code GET /elements/campaignmonitor/oauth/url} needs: the OAuth app's client id and secret,
 * the redirect URI and the signed state. {@link #toString()} shows none of the values.
 */
public record ConsentRequest(
    String consumerKey, String consumerSecret, String callbackUrl, String state) {

  @Override
  public String toString() {
    return "ConsentRequest[consumerKey=****, consumerSecret=****, callbackUrl="
        + callbackUrl
        + ", state=****]";
  }
}
