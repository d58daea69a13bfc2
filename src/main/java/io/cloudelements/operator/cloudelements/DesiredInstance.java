package io.cloudelements.operator.cloudelements;

import java.util.List;

/**
 * An element instance as the operator wants it, with every referenced secret value resolved.
 *
 * @param ownershipTag the operator's tag that marks the instance as owned by one resource
 */
public record DesiredInstance(
    String name,
    List<String> userTags,
    String ownershipTag,
    Authorization authorization,
    Events events) {

  public DesiredInstance {
    userTags = List.copyOf(userTags);
  }

  /** The tags sent to Cloud Elements: the user's, then the ownership tag. */
  public List<String> allTags() {
    return java.util.stream.Stream.concat(
            userTags.stream().filter(t -> !t.equals(ownershipTag)),
            java.util.stream.Stream.of(ownershipTag))
        .toList();
  }

  /** How the instance is authorized with Campaign Monitor. */
  public sealed interface Authorization permits OAuth, Basic {}

  /** OAuth 2: the app's consumer key and secret, and a single-use authorization code. */
  public record OAuth(
      String callbackUrl, String consumerKey, String consumerSecret, String authorizationCode)
      implements Authorization {
    @Override
    public String toString() {
      return "OAuth[callbackUrl="
          + callbackUrl
          + ", consumerKey=****, consumerSecret=****, authorizationCode=****]";
    }
  }

  /** Basic: a Campaign Monitor API key. */
  public record Basic(String apiKey) implements Authorization {
    @Override
    public String toString() {
      return "Basic[apiKey=****]";
    }
  }

  /**
   * Webhook events; {@code listIds} may be empty.
   *
   * @param signatureKey the key Cloud Elements signs callbacks with, or null to send none
   */
  public record Events(
      boolean enabled, String callbackUrl, List<String> listIds, String signatureKey) {
    public Events {
      listIds = List.copyOf(listIds);
    }

    /** Events without a signature key. */
    public Events(boolean enabled, String callbackUrl, List<String> listIds) {
      this(enabled, callbackUrl, listIds, null);
    }

    @Override
    public String toString() {
      return "Events[enabled="
          + enabled
          + ", callbackUrl="
          + callbackUrl
          + ", listIds="
          + listIds
          + ", signatureKey="
          + (signatureKey == null ? "none" : "****")
          + "]";
    }
  }
}
