package io.cloudelements.operator.reliability;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for secret values in captured text: each value as it is, Base64-encoded (as in a Secret's
 * data), URL-safe Base64 and URL-encoded. A failure never prints a secret: it names the source, the
 * first characters of the value and the surrounding text with the value replaced by {@code <LEAK>}.
 */
public final class LeakScanner {

  /**
   * The shape of a token the simulator issues (33 random bytes, URL-safe Base64 without padding),
   * for output whose tokens the test cannot know, such as a separate demo process.
   */
  public static final Pattern TOKEN_SHAPE =
      Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{44}(?![A-Za-z0-9_=-])");

  /**
   * The shape of a generated webhook signature key (32 random bytes, URL-safe Base64 without
   * padding).
   */
  public static final Pattern WEBHOOK_KEY_SHAPE =
      Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_=-])");

  private LeakScanner() {}

  /** One occurrence of a secret. */
  public record Finding(String source, String secretHint, String form, String context) {
    @Override
    public String toString() {
      return source + ": secret " + secretHint + " (" + form + ") in \"" + context + "\"";
    }
  }

  /** Every occurrence of every secret, in every source ("name" → captured text). */
  public static List<Finding> scan(Map<String, String> sources, Collection<String> secrets) {
    List<Finding> findings = new ArrayList<>();
    for (String secret : new LinkedHashSet<>(secrets)) {
      if (secret == null || secret.length() < 6) {
        continue;
      }
      Map<String, String> forms = forms(secret);
      sources.forEach(
          (source, text) -> {
            if (text == null) {
              return;
            }
            forms.forEach(
                (form, needle) -> {
                  int at = text.indexOf(needle);
                  if (at >= 0) {
                    findings.add(
                        new Finding(source, hint(secret), form, context(text, at, needle)));
                  }
                });
          });
    }
    return findings;
  }

  /** Token-shaped strings (see {@link #TOKEN_SHAPE}) in text that should hold none. */
  public static List<Finding> scanTokenShapes(String source, String text) {
    return scanShape(source, text, TOKEN_SHAPE, "token-shaped");
  }

  /** Strings shaped like a generated webhook signature key (see {@link #WEBHOOK_KEY_SHAPE}). */
  public static List<Finding> scanWebhookKeyShapes(String source, String text) {
    return scanShape(source, text, WEBHOOK_KEY_SHAPE, "webhook-key-shaped");
  }

  private static List<Finding> scanShape(String source, String text, Pattern shape, String form) {
    List<Finding> findings = new ArrayList<>();
    Matcher m = shape.matcher(text);
    while (m.find()) {
      findings.add(new Finding(source, hint(m.group()), form, context(text, m.start(), m.group())));
    }
    return findings;
  }

  /** Fails with every finding, or returns how many characters were scanned. */
  public static long assertClean(Map<String, String> sources, Collection<String> secrets) {
    List<Finding> findings = scan(sources, secrets);
    if (!findings.isEmpty()) {
      StringBuilder message = new StringBuilder(findings.size() + " secret occurrence(s) found:");
      findings.stream().limit(50).forEach(f -> message.append("\n  ").append(f));
      throw new AssertionError(message.toString());
    }
    return sources.values().stream().mapToLong(t -> t == null ? 0 : t.length()).sum();
  }

  static Map<String, String> forms(String secret) {
    Map<String, String> forms = new LinkedHashMap<>();
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    forms.put("plain", secret);
    forms.put("base64", Base64.getEncoder().encodeToString(bytes));
    forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!encoded.equals(secret)) {
      forms.put("url-encoded", encoded);
    }
    return forms;
  }

  private static String hint(String secret) {
    return secret.substring(0, Math.min(6, secret.length())) + "…(" + secret.length() + " chars)";
  }

  private static String context(String text, int at, String needle) {
    int from = Math.max(0, at - 60);
    int to = Math.min(text.length(), at + needle.length() + 60);
    return (text.substring(from, at) + "<LEAK>" + text.substring(at + needle.length(), to))
        .replace('\n', ' ');
  }

  /** The distinct values, for callers that collect from several places. */
  public static Set<String> distinct(Collection<String> values) {
    return new LinkedHashSet<>(values);
  }
}
