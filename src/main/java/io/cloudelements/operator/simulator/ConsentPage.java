package io.cloudelements.operator.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The provider's consent page that an {@code oauthUrl} leads to. A plain GET shows a person an
 * approve/deny page; its links (or {@code decision=approve|deny} in the query, or the auto-approve
 * setting) redirect to the callback with a fresh single-use {@code code}, or with {@code
 * error=access_denied}, and the {@code state} carried through.
 */
final class ConsentPage {

  /** The path of the page, relative to the API base path. */
  static final String PATH = "/simulator/consent";

  private final InstanceStore store;
  private volatile boolean autoApprove;

  ConsentPage(InstanceStore store) {
    this.store = store;
  }

  /** Whether a plain GET of the page approves at once (HTTP 302 with a code) instead of asking. */
  void setAutoApprove(boolean approve) {
    this.autoApprove = approve;
  }

  /**
   * The consent URL handed out by {@code GET /elements/{key}/oauth/url}; it never carries the
   * consumer secret.
   */
  String url(String publicBaseUrl, String callbackUrl, String state) {
    return publicBaseUrl + PATH + "?" + carried(callbackUrl, state);
  }

  Response answer(Map<String, List<String>> query) {
    String callbackUrl = QueryStrings.require(query, "callbackUrl");
    QueryStrings.requireHttpUrl(callbackUrl, "callbackUrl");
    String state = QueryStrings.firstOrNull(query, "state");
    String decision = QueryStrings.firstOrNull(query, "decision");
    if (decision == null) {
      decision = autoApprove ? "approve" : "ask";
    }
    String separator = callbackUrl.contains("?") ? "&" : "?";
    String carriedState = state == null ? "" : "&state=" + QueryStrings.encode(state);
    return switch (decision) {
      case "approve" ->
          redirect(
              callbackUrl
                  + separator
                  + "code="
                  + QueryStrings.encode(store.newAuthorizationCode())
                  + carriedState);
      case "deny" -> redirect(callbackUrl + separator + "error=access_denied" + carriedState);
      case "ask" -> page(callbackUrl, state);
      default -> throw ApiException.badRequest("decision must be approve or deny");
    };
  }

  private static Response redirect(String location) {
    return new Response(302, null).header("Location", location);
  }

  /** Two plain links, so that a person or a headless browser can choose. */
  private static Response page(String callbackUrl, String state) {
    String query = carried(callbackUrl, state);
    String html =
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Campaign Monitor (simulated): allow access?</title></head>
        <body>
        <h1>Campaign Monitor (simulated)</h1>
        <p>An application asks for access to your Campaign Monitor account. It will be sent back to
        <code>%s</code>.</p>
        <p><a id="approve" href="consent?%s&amp;decision=approve">Approve</a>
        <a id="deny" href="consent?%s&amp;decision=deny">Deny</a></p>
        </body>
        </html>
        """
            .formatted(escape(callbackUrl), escape(query), escape(query));
    return new Response(200, html.getBytes(StandardCharsets.UTF_8))
        .header("Content-Type", "text/html; charset=utf-8")
        .header("Cache-Control", "no-store");
  }

  private static String carried(String callbackUrl, String state) {
    return "callbackUrl="
        + QueryStrings.encode(callbackUrl)
        + (state == null ? "" : "&state=" + QueryStrings.encode(state));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
