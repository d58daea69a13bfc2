package io.cloudelements.operator.testing;

/**
 * YAML of CampaignMonitorInstances whose Secrets are named after a prefix: credentials {@code
 * <prefix>-account}, API key {@code <prefix>-key/apiKey}, OAuth app {@code <prefix>-app} and code
 * {@code <prefix>-grant/code}, as {@link OperatorStack#basicSecrets} and {@link
 * OperatorStack#oauthSecrets} create them.
 */
public final class InstanceYaml {

  private InstanceYaml() {}

  /** A basic-auth resource; {@code extra} is more spec lines (see {@link #indent}). */
  public static String basic(String name, String prefix, String extra) {
    return """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %1$s
        spec:
          credentialsRef: {name: %2$s-account}
          basic:
            apiKeyRef: {name: %2$s-key, key: apiKey}
        %3$s"""
        .formatted(name, prefix, indent(extra));
  }

  /** An OAuth resource; {@code extra} is more spec lines (see {@link #indent}). */
  public static String oauth(String name, String prefix, String extra) {
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
        %3$s"""
        .formatted(name, prefix, indent(extra));
  }

  /**
   * An OAuth resource without authorizationCodeRef, so that the operator obtains the code through a
   * consent served at {@code callbackUrl} (see {@link OperatorStack#callbackUrl()}); {@code extra}
   * is more spec lines.
   */
  public static String consent(String name, String prefix, String callbackUrl, String extra) {
    return """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %1$s
        spec:
          credentialsRef: {name: %2$s-account}
          oauth:
            callbackUrl: %3$s
            consumerKeyRef: {name: %2$s-app, key: consumerKey}
            consumerSecretRef: {name: %2$s-app, key: consumerSecret}
        %4$s"""
        .formatted(name, prefix, callbackUrl, indent(extra));
  }

  /**
   * Spec lines given without indentation get the two spaces of the spec block; a line that already
   * starts with two spaces is kept as it is, so a nested block is given indented as it stands in
   * the spec.
   */
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
