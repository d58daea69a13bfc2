package io.cloudelements.operator.simulator;

import java.util.List;
import java.util.Map;

/** The provider's consent page that an {@code oauthUrl} leads to: it redirects to the callback with a fresh code. */
final class ConsentPage {

  /** The path of the page, relative to the API base path. */
  static final String PATH = "/simulator/consent";

  private final InstanceStore store;

  ConsentPage(InstanceStore store) {
    this.store = store;
  }

  /** The consent URL handed out by {@code GET /elements/{key}/oauth/url}; it never carries the consumer secret. */
  String url(String publicBaseUrl, String callbackUrl, String state) {
    return publicBaseUrl + PATH + "?callbackUrl=" + QueryStrings.encode(callbackUrl)
        + (state == null ? "" : "&state=" + QueryStrings.encode(state));
  }

  Response answer(Map<String, List<String>> query) {
    String callbackUrl = QueryStrings.require(query, "callbackUrl");
    QueryStrings.requireHttpUrl(callbackUrl, "callbackUrl");
    String state = QueryStrings.firstOrNull(query, "state");
    String location = callbackUrl + (callbackUrl.contains("?") ? "&" : "?") + "code="
        + QueryStrings.encode(store.newAuthorizationCode())
        + (state == null ? "" : "&state=" + QueryStrings.encode(state));
    return new Response(302, null).header("Location", location);
  }
}
