package io.cloudelements.operator.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders answers as the real API does: instances with secret configuration values masked, and
 * error bodies.
 */
final class JsonAnswers {

  private final ObjectMapper mapper;

  JsonAnswers(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ObjectNode object() {
    return mapper.createObjectNode();
  }

  ArrayNode array() {
    return mapper.createArrayNode();
  }

  ObjectNode instance(SimulatedInstance instance) {
    ObjectNode node = mapper.createObjectNode();
    node.put("id", instance.id());
    node.put("name", instance.name());
    node.put("token", instance.token());
    ArrayNode tags = node.putArray("tags");
    instance.tags().forEach(tags::add);
    node.put("valid", instance.valid());
    node.put("disabled", instance.disabled());
    ObjectNode configuration = node.putObject("configuration");
    instance
        .configuration()
        .forEach(
            (key, value) -> {
              if (value != null && Secrets.isSecretKey(key)) {
                configuration.put(key, Secrets.MASK);
              } else {
                configuration.set(key, mapper.valueToTree(value));
              }
            });
    ObjectNode element = node.putObject("element");
    element.put("id", CloudElementsSimulator.ELEMENT_ID);
    element.put("key", CloudElementsSimulator.ELEMENT_KEY);
    node.put("createdDate", instance.createdDate().toString());
    node.putObject("user").put("id", 1);
    return node;
  }

  Response json(int status, JsonNode body) {
    try {
      return new Response(status, mapper.writeValueAsBytes(body))
          .header("Content-Type", "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize a simulator response", e);
    }
  }

  /** The real API's error body: {@code {"requestId": ..., "message": ...}}. */
  Response error(String requestId, int status, String message) {
    ObjectNode body = mapper.createObjectNode();
    body.put("requestId", requestId);
    body.put("message", message);
    return json(status, body);
  }
}
