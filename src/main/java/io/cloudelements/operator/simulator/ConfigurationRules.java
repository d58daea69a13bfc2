package io.cloudelements.operator.simulator;

import static io.cloudelements.operator.simulator.ApiException.badRequest;

import java.util.List;
import java.util.Map;

/**
 * The rules an instance configuration must follow, checked on what was sent and on the merged
 * result.
 */
final class ConfigurationRules {

  static final String AUTH_TYPE = "authentication.type";
  static final String OAUTH_KEY = "oauth.api.key";
  static final String OAUTH_SECRET = "oauth.api.secret";
  static final String OAUTH_CALLBACK = "oauth.callback.url";
  static final String USERNAME = "username";
  static final String EVENTS_ENABLED = "event.notification.enabled";
  static final String EVENTS_CALLBACK = "event.notification.callback.url";
  static final String SIGNATURE_KEY = "event.notification.signature.key";

  private ConfigurationRules() {}

  /** Checks the types of the keys that were sent. */
  static void validateSent(Map<String, Object> sent) {
    if (sent.containsKey(AUTH_TYPE)) {
      Object type = sent.get(AUTH_TYPE);
      if (!"oauth2".equals(type) && !"basic".equals(type)) {
        throw badRequest("configuration.authentication.type must be \"oauth2\" or \"basic\"");
      }
    }
    if (sent.containsKey(EVENTS_ENABLED) && !(sent.get(EVENTS_ENABLED) instanceof Boolean)) {
      throw badRequest(
          "configuration.event.notification.enabled must be a JSON boolean (true or false), "
              + "not a string or another type");
    }
    if (sent.get(SIGNATURE_KEY) != null && !(sent.get(SIGNATURE_KEY) instanceof String)) {
      throw badRequest(
          "configuration.event.notification.signature.key must be a string (empty: events unsigned)");
    }
    for (String key : List.of(OAUTH_KEY, OAUTH_SECRET, OAUTH_CALLBACK, USERNAME, EVENTS_CALLBACK)) {
      if (sent.containsKey(key)) {
        requireNonBlank(sent, key, "when present");
      }
    }
  }

  /**
   * Basic authentication needs a username; OAuth2 needs the consumer key, secret and callback URL.
   */
  static void requireCredentials(Map<String, Object> configuration) {
    if (isBasic(configuration)) {
      requireNonBlank(configuration, USERNAME, "with authentication.type basic");
    } else {
      requireNonBlank(configuration, OAUTH_KEY, "for OAuth2 authentication");
      requireNonBlank(configuration, OAUTH_SECRET, "for OAuth2 authentication");
      requireNonBlank(configuration, OAUTH_CALLBACK, "for OAuth2 authentication");
    }
  }

  static void validateEvents(Map<String, Object> configuration) {
    if (Boolean.TRUE.equals(configuration.get(EVENTS_ENABLED))) {
      Object callback = configuration.get(EVENTS_CALLBACK);
      if (!(callback instanceof String text) || text.isBlank()) {
        throw badRequest(
            "configuration.event.notification.callback.url is required when "
                + "event.notification.enabled is true");
      }
    }
  }

  static boolean isBasic(Map<String, Object> configuration) {
    return "basic".equals(configuration.get(AUTH_TYPE));
  }

  private static void requireNonBlank(Map<String, Object> configuration, String key, String when) {
    Object value = configuration.get(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw badRequest(
          "configuration." + key + " is required " + when + " and must be a non-blank string");
    }
  }
}
