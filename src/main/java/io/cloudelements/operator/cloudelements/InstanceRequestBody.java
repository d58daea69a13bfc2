package io.cloudelements.operator.cloudelements;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Builds the JSON body of {@code POST /instances}, following the Campaign Monitor documentation.
 */
public final class InstanceRequestBody {

  public static final String ELEMENT_KEY = "campaignmonitor";
  public static final String SIGNATURE_KEY = "event.notification.signature.key";

  /** Configuration keys whose values are secret: never logged, scrubbed from error messages. */
  public static final Set<String> SECRET_CONFIGURATION_KEYS =
      Set.of("oauth.api.key", "oauth.api.secret", "username", SIGNATURE_KEY);

  private static final ObjectMapper JSON = new ObjectMapper();

  private InstanceRequestBody() {}

  public static ObjectNode create(DesiredInstance desired) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("element").put("key", ELEMENT_KEY);
    if (desired.authorization() instanceof DesiredInstance.OAuth oauth) {
      body.putObject("providerData").put("code", oauth.authorizationCode());
    }
    body.set("configuration", configuration(desired));
    body.set("tags", JSON.valueToTree(desired.allTags()));
    body.put("name", desired.name());
    return body;
  }

  /**
   * The body of {@code PUT /instances/{id}?reAuthenticate=true}: the new code and the
   * configuration.
   */
  public static ObjectNode reauthorization(DesiredInstance desired) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("element").put("key", ELEMENT_KEY);
    if (desired.authorization() instanceof DesiredInstance.OAuth oauth) {
      body.putObject("providerData").put("code", oauth.authorizationCode());
    }
    body.set("configuration", configuration(desired));
    return body;
  }

  /**
   * The {@code configuration} object: authorization keys, then the event keys (the signature key
   * last).
   */
  public static ObjectNode configuration(DesiredInstance desired) {
    ObjectNode config = JSON.createObjectNode();
    if (desired.authorization() instanceof DesiredInstance.OAuth oauth) {
      config.put("oauth.callback.url", oauth.callbackUrl());
      config.put("oauth.api.key", oauth.consumerKey());
      config.put("oauth.api.secret", oauth.consumerSecret());
    } else if (desired.authorization() instanceof DesiredInstance.Basic basic) {
      config.put("authentication.type", "basic");
      config.put("username", basic.apiKey());
    }
    DesiredInstance.Events events = desired.events();
    if (events != null) {
      config.put("event.notification.enabled", events.enabled());
      if (events.callbackUrl() != null) {
        config.put("event.notification.callback.url", events.callbackUrl());
      }
      if (!events.listIds().isEmpty()) {
        config.put("events.list.ids", String.join(",", events.listIds()));
      }
      if (events.signatureKey() != null) {
        config.put(SIGNATURE_KEY, events.signatureKey());
      }
    }
    return config;
  }
}
