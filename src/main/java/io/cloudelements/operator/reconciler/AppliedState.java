package io.cloudelements.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.InstancePatch;
import io.cloudelements.operator.cloudelements.InstanceRequestBody;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What was last applied to a remote instance, kept in status as one fingerprint per part (name,
 * tags, and each configuration key), so that an unchanged spec makes no call and a change sends
 * only the parts that changed.
 */
public final class AppliedState {

  static final String NAME = "name";
  static final String TAGS = "tags";
  static final String CONFIGURATION = "configuration.";
  private static final Set<String> SECRET_KEYS = InstanceRequestBody.SECRET_CONFIGURATION_KEYS;

  private AppliedState() {}

  public static Map<String, String> fingerprints(DesiredInstance desired) {
    return fingerprints(desired, configuration(desired));
  }

  private static Map<String, String> fingerprints(
      DesiredInstance desired, ObjectNode configuration) {
    Map<String, String> parts = new TreeMap<>();
    parts.put(NAME, Fingerprints.of(desired.name()));
    parts.put(TAGS, Fingerprints.of(String.join("\n", desired.allTags())));
    configuration
        .fields()
        .forEachRemaining(
            f -> parts.put(CONFIGURATION + f.getKey(), Fingerprints.of(f.getValue().toString())));
    return parts;
  }

  /** The PATCH of the signature key alone; empty when {@code desired} has none. */
  static InstancePatch signatureKeyPatch(DesiredInstance desired) {
    Map<String, String> allButTheKey = fingerprints(desired);
    allButTheKey.remove(CONFIGURATION + InstanceRequestBody.SIGNATURE_KEY);
    return patch(desired, allButTheKey);
  }

  /**
   * The PATCH for the parts whose fingerprint differs from {@code applied}; empty when nothing
   * changed.
   */
  public static InstancePatch patch(DesiredInstance desired, Map<String, String> applied) {
    ObjectNode desiredConfig = configuration(desired);
    Map<String, String> now = fingerprints(desired, desiredConfig);
    Map<String, String> before = applied == null ? Map.of() : applied;
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    List<String> changed = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    if (!now.get(NAME).equals(before.get(NAME))) {
      body.put("name", desired.name());
      changed.add(NAME);
    }
    if (!now.get(TAGS).equals(before.get(TAGS))) {
      body.set(
          "tags",
          JsonNodeFactory.instance
              .arrayNode()
              .addAll(desired.allTags().stream().map(JsonNodeFactory.instance::textNode).toList()));
      changed.add(TAGS);
    }
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = desiredConfig.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!now.get(CONFIGURATION + field.getKey())
          .equals(before.get(CONFIGURATION + field.getKey()))) {
        config.set(field.getKey(), field.getValue());
        changed.add(CONFIGURATION + field.getKey());
        if (SECRET_KEYS.contains(field.getKey())) {
          secrets.add(field.getValue().asText());
        }
      }
    }
    before.keySet().stream()
        .filter(k -> k.startsWith(CONFIGURATION) && !now.containsKey(k))
        .forEach(
            k -> {
              String key = k.substring(CONFIGURATION.length());
              if (key.equals("event.notification.enabled")) {
                config.put(key, false);
              } else {
                config.put(key, "");
              }
              changed.add(k);
            });
    if (!config.isEmpty()) {
      body.set("configuration", config);
    }
    return new InstancePatch(body, changed, secrets);
  }

  private static ObjectNode configuration(DesiredInstance desired) {
    return InstanceRequestBody.configuration(desired);
  }
}
