package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One simulator per test class, reset before each test, and the HTTP helpers the simulator tests
 * share.
 */
abstract class SimulatorHttpTest {

  static final String AUTH = "User user-secret, Organization org-secret";
  static final ObjectMapper MAPPER = new ObjectMapper();

  static CloudElementsSimulator simulator;
  static HttpClient client;

  @BeforeAll
  static void start() {
    simulator = CloudElementsSimulator.start(SimulatorOptions.defaults());
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  // --- helpers
  // -------------------------------------------------------------------------------------------------------

  static String oauthBody(String code, String tag, String name) {
    return """
        {"element": {"key": "campaignmonitor"},
         "providerData": {"code": "%s"},
         "configuration": {
           "oauth.callback.url": "https://app.example.com/callback",
           "oauth.api.key": "consumer-key",
           "oauth.api.secret": "consumer-secret",
           "event.notification.enabled": true,
           "event.notification.callback.url": "https://hooks.example.com/ce",
           "events.list.ids": "list-1,list-2",
           "event.notification.signature.key": "signing-key"
         },
         "tags": ["%s"],
         "name": "%s"}"""
        .formatted(code, tag, name);
  }

  static String basicBody(String... tags) {
    StringBuilder tagArray = new StringBuilder();
    for (String tag : tags) {
      tagArray
          .append(tagArray.length() == 0 ? "" : ", ")
          .append(MAPPER.valueToTree(tag).toString());
    }
    return """
        {"element": {"key": "campaignmonitor"},
         "configuration": {"authentication.type": "basic", "username": "cm-api-key"},
         "tags": [%s], "name": "basic"}"""
        .formatted(tagArray);
  }

  static long createBasic(String... tags) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", basicBody(tags));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("id").asLong();
  }

  static long createOauth(String code, String tag) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", oauthBody(code, tag, "n"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("id").asLong();
  }

  static String without(String body, String object, String field) throws IOException {
    ObjectNode node = (ObjectNode) MAPPER.readTree(body);
    ((ObjectNode) node.path(object)).remove(field);
    return node.toString();
  }

  static void assertBadRequest(String body, String messagePart) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(json(response).path("message").asText()).as(body).contains(messagePart);
    assertThat(json(response).path("requestId").asText()).isNotBlank();
  }

  static String tagQuery(String tag) {
    return "tags%5B%5D=" + encode(tag);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static List<Long> ids(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    json(response).forEach(node -> ids.add(node.path("id").asLong()));
    return ids;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return MAPPER.readTree(response.body());
  }

  static HttpResponse<String> call(String method, String path, String body) throws Exception {
    return send(request(method, path, body, AUTH));
  }

  static HttpRequest.Builder request(String method, String path, String body, String auth) {
    return request(method, path, body, auth, "application/json");
  }

  static HttpRequest.Builder request(
      String method, String path, String body, String auth, String contentType) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      builder.header("Authorization", auth);
    }
    if (body != null && contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return builder;
  }

  static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return send(request.build());
  }

  static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
