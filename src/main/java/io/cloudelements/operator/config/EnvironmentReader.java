package io.cloudelements.operator.config;

import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_BASE_URL;
import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_LEASE_NAME;
import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_MANAGEMENT_PORT;
import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_MAX_CONCURRENT_REQUESTS;
import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_OAUTH_CALLBACK_PORT;
import static io.cloudelements.operator.config.OperatorConfig.DEFAULT_TERMINATION_TIMEOUT;
import static io.cloudelements.operator.config.OperatorConfig.RECONCILES_PER_REQUEST;

import io.cloudelements.operator.config.OperatorConfig.LogFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns environment variables into an {@link OperatorConfig}: each variable's form (number, port,
 * duration, boolean) is checked here, the rules between settings in the record itself.
 */
final class EnvironmentReader {

  private final Map<String, String> env;

  EnvironmentReader(Map<String, String> env) {
    this.env = env;
  }

  OperatorConfig read() {
    return new OperatorConfig(
        baseUrl(),
        bool("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", false),
        watchNamespaces(),
        duration("CLOUD_ELEMENTS_TIMEOUT", "30s"),
        duration("RETRY_INITIAL_DELAY", "1s"),
        duration("RETRY_MAX_DELAY", "5m"),
        duration("RESYNC_INTERVAL", "10m"),
        port("MANAGEMENT_PORT", DEFAULT_MANAGEMENT_PORT),
        bool("LEADER_ELECTION_ENABLED", false),
        env.get("POD_NAMESPACE"),
        text("LEASE_NAME", DEFAULT_LEASE_NAME),
        integer(
            "MAX_CONCURRENT_RECONCILES",
            RECONCILES_PER_REQUEST
                * Math.max(1, integer("MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT_REQUESTS))),
        integer("MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT_REQUESTS),
        LogFormat.parse(env.getOrDefault("LOG_FORMAT", LogFormat.TEXT.value())),
        duration("TERMINATION_TIMEOUT", Durations.format(DEFAULT_TERMINATION_TIMEOUT)),
        env.get("HOSTNAME"),
        duration("CONSENT_TTL", "15m"),
        port("OAUTH_CALLBACK_PORT", DEFAULT_OAUTH_CALLBACK_PORT));
  }

  /** A blank value means the default; one trailing slash is dropped. */
  private URI baseUrl() {
    String base = env.getOrDefault("CLOUD_ELEMENTS_BASE_URL", DEFAULT_BASE_URL).trim();
    if (base.isEmpty()) {
      base = DEFAULT_BASE_URL;
    }
    try {
      return new URI(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "CLOUD_ELEMENTS_BASE_URL must be an https:// URL, but was '" + base + "'");
    }
  }

  private Set<String> watchNamespaces() {
    return Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  /** A blank variable counts as unset. */
  private String text(String name, String def) {
    String v = env.get(name);
    return v == null || v.isBlank() ? def : v.trim();
  }

  private boolean bool(String name, boolean def) {
    String v = text(name, Boolean.toString(def));
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + " must be true or false, but was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private int integer(String name, int def) {
    String v = text(name, Integer.toString(def));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number of at least 1, but was '" + v + "'");
    }
  }

  private int port(String name, int def) {
    String v = text(name, Integer.toString(def));
    int port;
    try {
      port = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          name + " must be a port number from 1 to 65535, but was '" + v + "'");
    }
    return port;
  }

  private Duration duration(String name, String def) {
    return Durations.parse(name, env.getOrDefault(name, def));
  }
}
