package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sample events delivered to a real receiver over HTTP, signed as Cloud Elements signs, and
 * verified here.
 */
class EventDeliveryTest extends SimulatorHttpTest {

  private static final String KEY = "k3y-\u00e9-43-characters-of-base64url-0123456789";

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final AtomicInteger answer = new AtomicInteger();
  private static HttpServer receiver;

  /** What the receiver got: the headers it cares about and the raw body bytes. */
  private record Received(
      String method, String contentType, String webhookId, String signature, byte[] body) {}

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var headers = exchange.getRequestHeaders();
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  headers.getFirst("Content-Type"),
                  headers.getFirst("Elements-Webhook-Id"),
                  headers.getFirst("Elements-Webhook-Signature"),
                  body));
          exchange.sendResponseHeaders(answer.get(), -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop(0);
  }

  @BeforeEach
  void forgetReceived() {
    received.clear();
    answer.set(204);
  }

  @Test
  void aSignedDeliveryCarriesTheHmacOfTheRawBodyAndIsRecorded() throws Exception {
    long id = createWithEvents(hookUrl("127.0.0.1"), KEY);

    HttpResponse<String> response = call("POST", "/instances/" + id + "/events/test", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(received).hasSize(1);
    Received got = received.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.contentType()).isEqualTo("application/json");
    assertThat(got.signature()).isEqualTo("sha256=" + hmac(KEY, got.body()));
    assertThat(verifies(KEY, got.body(), got.signature())).isTrue();
    assertThat(verifies("another-key", got.body(), got.signature())).isFalse();
    assertThat(verifies(KEY, tampered(got.body()), got.signature())).isFalse();

    JsonNode event = MAPPER.readTree(got.body());
    assertThat(event.path("message").path("eventId").asText()).isNotBlank();
    JsonNode first = event.path("message").path("events").get(0);
    assertThat(first.path("objectType").asText()).isEqualTo("subscribers");
    assertThat(first.path("eventType").asText()).isEqualTo("CREATED");
    assertThat(first.path("elementKey").asText()).isEqualTo("campaignmonitor");
    assertThat(event.path("message").path("raw").path("ListID").asText()).isEqualTo("list-1");
    assertThat(event.path("message").path("raw").path("Events").get(0).path("Type").asText())
        .isEqualTo("Subscribe");

    JsonNode answerBody = json(response);
    assertThat(answerBody.path("status").asInt()).isEqualTo(204);
    assertThat(answerBody.path("delivered").asBoolean()).isTrue();
    assertThat(answerBody.path("signed").asBoolean()).isTrue();
    assertThat(answerBody.path("webhookId").asText()).isEqualTo(got.webhookId()).isNotBlank();
    assertThat(answerBody.path("body").asText())
        .isEqualTo(new String(got.body(), StandardCharsets.UTF_8));
    assertThat(response.body()).doesNotContain(KEY);

    assertThat(simulator.deliveries(id))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.status()).isEqualTo(204);
              assertThat(d.bodyBytes()).isEqualTo(got.body());
              assertThat(d.signature()).isEqualTo(got.signature());
              assertThat(d.webhookId()).isEqualTo(got.webhookId());
              assertThat(d.error()).isNull();
              assertThat(d.toString()).doesNotContain(KEY);
            });
  }

  @Test
  void theJavaTriggerDeliversToLocalhostAndRecordsWhatTheReceiverAnswered() throws Exception {
    long id = createWithEvents(hookUrl("localhost"), KEY);
    answer.set(500);

    EventDelivery delivery = simulator.deliverTestEvent(id);

    assertThat(delivery.status()).isEqualTo(500);
    assertThat(delivery.delivered()).isFalse();
    assertThat(verifies(KEY, received.get(0).body(), delivery.signature())).isTrue();
    assertThat(simulator.deliveries()).containsExactly(delivery);

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpResponse<String> moved =
        call(
            "PATCH",
            "/instances/" + id,
            "{\"configuration\": "
                + "{\"event.notification.callback.url\": \"http://127.0.0.1:"
                + closedPort
                + "/hooks\"}}");
    assertThat(moved.statusCode()).isEqualTo(200);
    EventDelivery unanswered = simulator.deliverTestEvent(id);
    assertThat(unanswered.status()).isZero();
    assertThat(unanswered.error()).isNotBlank();
    assertThat(simulator.deliveries(id)).containsExactly(delivery, unanswered);
    assertThat(simulator.deliveries(id + 1)).isEmpty();

    simulator.reset();
    assertThat(simulator.deliveries()).isEmpty();
  }

  @Test
  void withoutAKeyOrWithAnEmptyOneTheDeliveryIsUnsigned() throws Exception {
    long id = createWithEvents(hookUrl("127.0.0.1"), null);
    EventDelivery unsigned = simulator.deliverTestEvent(id);
    assertThat(unsigned.signed()).isFalse();
    assertThat(received.get(0).signature()).isNull();
    assertThat(received.get(0).webhookId()).isEqualTo(unsigned.webhookId()).isNotBlank();

    patchKey(id, "\"" + KEY + "\"");
    assertThat(verifies(KEY, received.get(0).body(), received.get(0).signature())).isFalse();
    EventDelivery signed = simulator.deliverTestEvent(id);
    assertThat(verifies(KEY, received.get(1).body(), received.get(1).signature())).isTrue();
    assertThat(signed.signed()).isTrue();

    patchKey(id, "\"\"");
    assertThat(simulator.instance(id).orElseThrow().configuration())
        .containsEntry("event.notification.signature.key", "");
    assertThat(simulator.deliverTestEvent(id).signed()).isFalse();
    assertThat(received.get(2).signature()).isNull();
    assertThat(received).extracting(Received::webhookId).doesNotHaveDuplicates();
  }

  @Test
  void theKeyIsMaskedInEveryAnswerAndMustBeAString() throws Exception {
    long id = createWithEvents(hookUrl("127.0.0.1"), KEY);
    HttpResponse<String> get = call("GET", "/instances/" + id, null);
    assertThat(json(get).path("configuration").path("event.notification.signature.key").asText())
        .isEqualTo("********");
    HttpResponse<String> patched =
        call(
            "PATCH",
            "/instances/" + id,
            "{\"configuration\": {\"event.notification.signature.key\": \"rotated-key\"}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    HttpResponse<String> search = call("GET", "/instances?tags%5B%5D=events", null);
    for (HttpResponse<String> response : List.of(get, patched, search)) {
      assertThat(response.body()).doesNotContain(KEY, "rotated-key");
    }
    assertThat(simulator.instance(id).orElseThrow().configuration())
        .containsEntry("event.notification.signature.key", "rotated-key");

    HttpResponse<String> number =
        call(
            "PATCH",
            "/instances/" + id,
            "{\"configuration\": {\"event.notification.signature.key\": 42}}");
    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(json(number).path("message").asText()).contains("signature.key must be a string");
  }

  @Test
  void refusesNonLoopbackCallbacksInstancesWithoutEventsAndUnknownOnes() throws Exception {
    long remote = createWithEvents("https://hooks.example.com/ce", KEY);
    HttpResponse<String> refused = call("POST", "/instances/" + remote + "/events/test", null);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).path("message").asText())
        .contains("only to loopback", "hooks.example.com");
    assertThatThrownBy(() -> simulator.deliverTestEvent(remote))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only to loopback");
    long sneaky =
        createWithEvents(
            "http://127.0.0.1.example.com:" + receiver.getAddress().getPort() + "/hooks", KEY);
    assertThat(call("POST", "/instances/" + sneaky + "/events/test", null).statusCode())
        .isEqualTo(400);

    long basic = createBasic("no-events");
    HttpResponse<String> noEvents = call("POST", "/instances/" + basic + "/events/test", null);
    assertThat(noEvents.statusCode()).isEqualTo(400);
    assertThat(json(noEvents).path("message").asText()).contains("event.notification.enabled");

    assertThat(call("POST", "/instances/999999/events/test", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/instances/" + remote + "/events/test", null).statusCode())
        .isEqualTo(405);
    long local = createWithEvents(hookUrl("127.0.0.1"), KEY);
    assertThat(
            send(request("POST", "/instances/" + local + "/events/test", null, null)).statusCode())
        .isEqualTo(401);
    assertThat(received).isEmpty();
    assertThat(simulator.deliveries()).isEmpty();
  }

  private static String hookUrl(String host) {
    return "http://" + host + ":" + receiver.getAddress().getPort() + "/hooks";
  }

  private static long createWithEvents(String callbackUrl, String key) throws Exception {
    String keyLine = key == null ? "" : ", \"event.notification.signature.key\": \"" + key + "\"";
    HttpResponse<String> response =
        call(
            "POST",
            "/instances",
            """
        {"element": {"key": "campaignmonitor"},
         "configuration": {"authentication.type": "basic", "username": "cm-api-key",
           "event.notification.enabled": true, "event.notification.callback.url": "%s",
           "events.list.ids": "list-1,list-2"%s},
         "tags": ["events"]}"""
                .formatted(callbackUrl, keyLine));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("id").asLong();
  }

  private static void patchKey(long id, String jsonValue) throws Exception {
    HttpResponse<String> response =
        call(
            "PATCH",
            "/instances/" + id,
            "{\"configuration\": {\"event.notification.signature.key\": " + jsonValue + "}}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** The rule a receiver applies, written independently of the simulator. */
  private static boolean verifies(String key, byte[] body, String header) throws Exception {
    if (header == null || !header.startsWith("sha256=")) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(hmac(key, body));
    byte[] actual = Base64.getDecoder().decode(header.substring("sha256=".length()));
    return MessageDigest.isEqual(expected, actual);
  }

  private static String hmac(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  private static byte[] tampered(byte[] body) throws Exception {
    return new String(body, StandardCharsets.UTF_8)
        .replace("CREATED", "DELETED")
        .getBytes(StandardCharsets.UTF_8);
  }
}
