package io.cloudelements.operator.consent;

/** The pages the callback answers. Only the resource's own name goes into them, HTML-escaped. */
final class CallbackPages {

  private CallbackPages() {}

  static String approved(String resource) {
    return page(
        "Access approved",
        "Campaign Monitor access approved for "
            + escape(resource)
            + ". You can close this window.");
  }

  static String denied(String resource) {
    return page(
        "Access denied",
        "Campaign Monitor access was denied for "
            + escape(resource)
            + ". Nothing was "
            + "changed. To try again, set a new value on the annotation cloudelements.io/restart-consent of the "
            + "resource (for example <code>kubectl annotate cmi "
            + escape(resource.substring(resource.indexOf('/') + 1))
            + " cloudelements.io/restart-consent=$(date +%s) --overwrite</code>), then open the new URL in its "
            + "status.authorization.url.");
  }

  /** The plain page of a bad callback: the case, and nothing from the request. */
  static String problem(CallbackResult result) {
    return "Bad OAuth callback (" + result.tag() + "): " + result.problem() + "\n";
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + title
        + "</title></head>"
        + "<body><p>"
        + body
        + "</p></body></html>\n";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
