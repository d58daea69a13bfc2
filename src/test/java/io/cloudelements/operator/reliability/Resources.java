package io.cloudelements.operator.reliability;

/** YAML of CampaignMonitorInstances whose Secrets are named after a prefix. */
final class Resources {

  private Resources() {
  }

  /** Credentials {@code <prefix>-account}, API key {@code <prefix>-key/apiKey}; {@code extra} is more spec lines. */
  static String basic(String name, String prefix, String extra) {
    return """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %1$s
        spec:
          credentialsRef: {name: %2$s-account}
          basic:
            apiKeyRef: {name: %2$s-key, key: apiKey}
        %3$s""".formatted(name, prefix, indent(extra));
  }

  /** Credentials {@code <prefix>-account}, app {@code <prefix>-app}, code {@code <prefix>-grant/code}. */
  static String oauth(String name, String prefix, String extra) {
    return """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %1$s
        spec:
          credentialsRef: {name: %2$s-account}
          oauth:
            callbackUrl: https://app.example.com/oauth/callback
            consumerKeyRef: {name: %2$s-app, key: consumerKey}
            consumerSecretRef: {name: %2$s-app, key: consumerSecret}
            authorizationCodeRef: {name: %2$s-grant, key: code}
        %3$s""".formatted(name, prefix, indent(extra));
  }

  /** Spec lines given without indentation get the two spaces of the spec block. */
  private static String indent(String extra) {
    if (extra == null || extra.isBlank()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String line : extra.stripTrailing().split("\n")) {
      out.append(line.startsWith("  ") ? line : "  " + line).append('\n');
    }
    return out.toString();
  }
}
