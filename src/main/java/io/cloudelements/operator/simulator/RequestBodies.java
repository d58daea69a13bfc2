package io.cloudelements.operator.simulator;

import static io.cloudelements.operator.simulator.ApiException.badRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and strictly validates the JSON request bodies, before anything touches the instance store.
 */
final class RequestBodies {

  /** The largest body accepted; one byte more is read to tell that a body is too large. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private final ObjectMapper mapper;

  RequestBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A valid creation body: the configuration as sent, the OAuth code (null for basic), name and
   * tags.
   */
  record NewInstance(
      Map<String, Object> configuration, String code, String name, List<String> tags) {}

  /** The optional parts of a PATCH or PUT body; null means "not sent". */
  record InstanceUpdate(Map<String, Object> configuration, String name, List<String> tags) {}

  /**
   * The {@code providerData.code} of a body, read only when the rules need it, so that the errors
   * come in the same order as the real API's.
   */
  record ProviderCode(boolean sent, String code, String problem) {

    String require() {
      if (code == null) {
        throw badRequest(problem);
      }
      return code;
    }
  }

  NewInstance creation(SimulatorRequest request) {
    ObjectNode body = jsonObject(request);
    JsonNode element = body.get("element");
    if (element == null || !element.isObject()) {
      throw badRequest(
          "element is required and must be an object like {\"key\": \"campaignmonitor\"}");
    }
    JsonNode key = element.get("key");
    if (key == null || !key.isTextual() || key.asText().isBlank()) {
      throw badRequest("element.key is required and must be a string");
    }
    if (!key.asText().equals(CloudElementsSimulator.ELEMENT_KEY)) {
      throw badRequest("element.key must be \"" + CloudElementsSimulator.ELEMENT_KEY + "\"");
    }
    JsonNode configurationNode = body.get("configuration");
    if (configurationNode == null || !configurationNode.isObject()) {
      throw badRequest("configuration is required and must be a JSON object");
    }
    Map<String, Object> configuration = configuration(configurationNode);
    ConfigurationRules.validateSent(configuration);
    ConfigurationRules.requireCredentials(configuration);
    String code = ConfigurationRules.isBasic(configuration) ? null : providerCode(body).require();
    ConfigurationRules.validateEvents(configuration);
    String name = optionalString(body, "name");
    List<String> tags = optionalTags(body);
    return new NewInstance(configuration, code, name, tags == null ? List.of() : tags);
  }

  InstanceUpdate patch(SimulatorRequest request) {
    ObjectNode body = jsonObject(request);
    String name = optionalString(body, "name");
    List<String> tags = optionalTags(body);
    Map<String, Object> sent = optionalConfiguration(body);
    return new InstanceUpdate(sent, name, tags);
  }

  /** The update and the provider code of a {@code PUT ?reAuthenticate=true} body. */
  record Reauthentication(InstanceUpdate update, ProviderCode code) {}

  Reauthentication reauthentication(SimulatorRequest request) {
    ObjectNode body = jsonObject(request);
    Map<String, Object> sent = optionalConfiguration(body);
    String name = optionalString(body, "name");
    List<String> tags = optionalTags(body);
    return new Reauthentication(new InstanceUpdate(sent, name, tags), providerCode(body));
  }

  /**
   * The tags a request carries: its body's {@code tags} array, or its {@code tags[]} query
   * parameters.
   */
  List<String> tagsOf(String rawQuery, byte[] body) {
    List<String> tags = new ArrayList<>();
    try {
      tags.addAll(QueryStrings.parse(rawQuery).getOrDefault("tags[]", List.of()));
    } catch (ApiException malformed) {
      // answered 400 later; no tags
    }
    if (body != null && body.length > 0 && body.length <= MAX_BODY_BYTES) {
      try {
        JsonNode node = mapper.readTree(body);
        if (node != null && node.path("tags").isArray()) {
          node.path("tags")
              .forEach(
                  t -> {
                    if (t.isTextual()) {
                      tags.add(t.asText());
                    }
                  });
        }
      } catch (IOException malformed) {
        // answered 400 later; no tags
      }
    }
    return List.copyOf(tags);
  }

  private ObjectNode jsonObject(SimulatorRequest request) {
    String contentType = request.headers().getFirst("Content-Type");
    if (contentType == null
        || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "Content-Type must be application/json");
    }
    byte[] raw = request.body() == null ? new byte[0] : request.body();
    if (raw.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "Request body too large");
    }
    if (raw.length == 0) {
      throw badRequest("A JSON request body is required");
    }
    JsonNode node;
    try {
      node = mapper.readTree(raw);
    } catch (JsonProcessingException e) {
      // The parser's own message can quote parts of the body (possibly secrets): only say where it
      // broke.
      var location = e.getLocation();
      throw badRequest(
          "Malformed JSON body"
              + (location == null
                  ? ""
                  : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
    } catch (IOException e) {
      throw badRequest("Malformed JSON body");
    }
    if (node == null || !node.isObject()) {
      throw badRequest("The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static Map<String, Object> configuration(JsonNode node) {
    Map<String, Object> configuration = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw badRequest(
            "configuration." + field.getKey() + " must be a string, number or boolean");
      }
      Object javaValue;
      if (value.isNull()) {
        javaValue = null;
      } else if (value.isBoolean()) {
        javaValue = value.booleanValue();
      } else if (value.isNumber()) {
        javaValue = value.numberValue();
      } else {
        javaValue = value.asText();
      }
      configuration.put(field.getKey(), javaValue);
    }
    return configuration;
  }

  private static Map<String, Object> optionalConfiguration(ObjectNode body) {
    JsonNode node = body.get("configuration");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw badRequest("configuration must be a JSON object");
    }
    Map<String, Object> sent = configuration(node);
    ConfigurationRules.validateSent(sent);
    return sent;
  }

  private static ProviderCode providerCode(ObjectNode body) {
    boolean sent = body.hasNonNull("providerData");
    JsonNode providerData = body.get("providerData");
    if (providerData == null || !providerData.isObject()) {
      return new ProviderCode(
          sent, null, "providerData.code is required for OAuth2 authentication");
    }
    JsonNode code = providerData.get("code");
    if (code == null || !code.isTextual() || code.asText().isBlank()) {
      return new ProviderCode(
          sent,
          null,
          "providerData.code is required for OAuth2 authentication and must be a non-blank string");
    }
    return new ProviderCode(sent, code.asText(), null);
  }

  private static String optionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw badRequest(field + " must be a string");
    }
    return node.asText();
  }

  private static List<String> optionalTags(ObjectNode body) {
    JsonNode node = body.get("tags");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw badRequest("tags must be an array of strings");
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : node) {
      if (!tag.isTextual()) {
        throw badRequest("tags must be an array of strings");
      }
      tags.add(tag.asText());
    }
    return List.copyOf(tags);
  }
}
