package io.cloudelements.operator.simulator;

import java.util.Locale;
import java.util.Set;

/** What the simulator treats as secret, and how it hides it. */
final class Secrets {

  static final String MASK = "********";

  /** Configuration keys that the real API answers masked. */
  private static final Set<String> SECRET_CONFIGURATION_KEYS =
      Set.of("oauth.api.key", "oauth.api.secret", "username", "event.notification.signature.key");

  /** Query parameters whose values are never recorded or logged. */
  private static final Set<String> SECRET_QUERY_PARAMETERS =
      Set.of("apikey", "apisecret", "code", "token");

  private Secrets() {}

  static boolean isSecretKey(String configurationKey) {
    if (SECRET_CONFIGURATION_KEYS.contains(configurationKey)) {
      return true;
    }
    String lower = configurationKey.toLowerCase(Locale.ROOT);
    return lower.contains("secret") || lower.contains("password");
  }

  static boolean isSecretQueryParameter(String name) {
    return SECRET_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
  }
}
