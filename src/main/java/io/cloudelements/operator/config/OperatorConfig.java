package io.cloudelements.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read once from the environment.
 *
 * @param baseUrl Cloud Elements API base URL, without a trailing slash
 * @param watchNamespaces namespaces to watch; empty means all
 * @param requestTimeout timeout of each Cloud Elements call
 * @param retryInitialDelay first backoff step after a retryable failure
 * @param retryMaxDelay cap of the backoff
 * @param resyncInterval how often each instance is read back to find drift
 */
public record OperatorConfig(
    URI baseUrl,
    boolean allowPlainHttp,
    Set<String> watchNamespaces,
    Duration requestTimeout,
    Duration retryInitialDelay,
    Duration retryMaxDelay,
    Duration resyncInterval) {

  public static final String DEFAULT_BASE_URL = "https://api.cloud-elements.com/elements/api-v2";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    String scheme = baseUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException("CLOUD_ELEMENTS_BASE_URL must be an https:// URL, but was " + baseUrl);
    }
    if ("http".equals(scheme) && !allowPlainHttp) {
      throw new IllegalArgumentException("CLOUD_ELEMENTS_BASE_URL is plain http (" + baseUrl
          + "); set CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP=true to allow it (only for a simulator or a test)");
    }
  }

  /** Reads the settings from environment variables, with their defaults. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String base = env.getOrDefault("CLOUD_ELEMENTS_BASE_URL", DEFAULT_BASE_URL).trim();
    if (base.isEmpty()) {
      base = DEFAULT_BASE_URL;
    }
    return new OperatorConfig(
        URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base),
        bool(env, "CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP"),
        Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()),
        duration(env, "CLOUD_ELEMENTS_TIMEOUT", "30s"),
        duration(env, "RETRY_INITIAL_DELAY", "1s"),
        duration(env, "RETRY_MAX_DELAY", "5m"),
        duration(env, "RESYNC_INTERVAL", "10m"));
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = env.getOrDefault(name, "false").trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + " must be true or false, but was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static Duration duration(Map<String, String> env, String name, String def) {
    return Durations.parse(name, env.getOrDefault(name, def));
  }
}
