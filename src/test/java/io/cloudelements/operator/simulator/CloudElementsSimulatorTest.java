package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudElementsSimulatorTest {

  private static final String AUTH = "User user-secret, Organization org-secret";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static CloudElementsSimulator simulator;
  private static HttpClient client;

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

  // --- creation ------------------------------------------------------------------------------------------------------

  @Test
  void createsAnOauthInstanceAndAnswersItMasked() throws Exception {
    String code = simulator.newAuthorizationCode();
    HttpResponse<String> response = call("POST", "/instances", oauthBody(code, "Docs", "API Instance"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Elements-Request-Id")).hasValueSatisfying(
        id -> assertThat(UUID.fromString(id)).isNotNull());
    JsonNode body = json(response);
    String token = body.path("token").asText();
    assertThat(token).hasSize(44).matches("[A-Za-z0-9_-]+");
    assertThat(Instant.parse(body.path("createdDate").asText())).isBeforeOrEqualTo(Instant.now());
    long id = body.path("id").asLong();
    assertThat(id).isGreaterThanOrEqualTo(1000);  // ids start at 1000 and keep increasing across reset()

    JsonNode expected = MAPPER.readTree("""
        {"id": %d, "name": "API Instance", "token": "%s", "tags": ["Docs"], "valid": true, "disabled": false,
         "configuration": {
           "oauth.callback.url": "https://app.example.com/callback",
           "oauth.api.key": "********",
           "oauth.api.secret": "********",
           "event.notification.enabled": true,
           "event.notification.callback.url": "https://hooks.example.com/ce",
           "events.list.ids": "list-1,list-2",
           "event.notification.signature.key": "********"
         },
         "element": {"id": 1234, "key": "campaignmonitor"},
         "createdDate": "%s",
         "user": {"id": 1}}
        """.formatted(id, token, body.path("createdDate").asText()));
    assertThat(body).isEqualTo(expected);
    assertThat(response.body()).doesNotContain("consumer-secret", "consumer-key", "providerData", code);

    SimulatedInstance instance = simulator.instance(id).orElseThrow();
    assertThat(instance.token()).isEqualTo(token);
    assertThat(instance.configuration()).containsEntry("oauth.api.secret", "consumer-secret")
        .containsEntry("event.notification.enabled", true);
    assertThat(instance.valid()).isTrue();
    assertThat(instance.disabled()).isFalse();
  }

  @Test
  void createsABasicInstanceWithoutCode() throws Exception {
    HttpResponse<String> response = call("POST", "/instances", """
        {"element": {"key": "campaignmonitor"},
         "configuration": {"authentication.type": "basic", "username": "cm-api-key"},
         "tags": ["basic"], "name": "Basic"}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("configuration")).isEqualTo(MAPPER.readTree(
        "{\"authentication.type\": \"basic\", \"username\": \"********\"}"));
    assertThat(body.path("name").asText()).isEqualTo("Basic");
    assertThat(body.has("providerData")).isFalse();
    assertThat(simulator.instances()).singleElement()
        .satisfies(i -> assertThat(i.configuration()).containsEntry("username", "cm-api-key"));
  }

  @Test
  void rejectsMissingOrWrongCredentialsWithoutEchoingThem() throws Exception {
    for (String auth : new String[] {null, "", "User user-secret", "User wrong-secret, Organization org-secret",
        "User user-secret, Organization wrong-org", "Bearer xyz-token", "User user-secret, Organization org-secret, X y"}) {
      HttpResponse<String> response = send(request("GET", "/instances", null, auth));
      assertThat(response.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
      assertThat(json(response).path("message").asText()).isNotBlank();
      assertThat(json(response).path("requestId").asText())
          .isEqualTo(response.headers().firstValue("Elements-Request-Id").orElseThrow());
      assertThat(response.body()).doesNotContain("wrong-secret", "wrong-org", "xyz-token");
    }
    createBasic("x");
    for (String auth : new String[] {"User  user-secret ,Organization   org-secret",
        "User user-secret, Organization org-secret, Element some-token",
        "  Organization org-secret,User user-secret  "}) {
      assertThat(send(request("GET", "/instances", null, auth)).statusCode()).as(auth).isEqualTo(200);
    }
  }

  @Test
  void authorizationCodeIsSingleUseButNotBurnedByARejectedRequest() throws Exception {
    String code = "xoz8AFqScK2ngM04kSSM";
    ObjectNode missingSecret = (ObjectNode) MAPPER.readTree(oauthBody(code, "t", "n"));
    ((ObjectNode) missingSecret.path("configuration")).remove("oauth.api.secret");
    assertThat(call("POST", "/instances", missingSecret.toString()).statusCode()).isEqualTo(400);

    assertThat(call("POST", "/instances", oauthBody(code, "t", "n")).statusCode()).isEqualTo(200);
    HttpResponse<String> reuse = call("POST", "/instances", oauthBody(code, "t", "n"));
    assertThat(reuse.statusCode()).isEqualTo(400);
    assertThat(json(reuse).path("message").asText())
        .isEqualTo("The authorization code is invalid or was already used");
    assertThat(simulator.instances()).hasSize(1);
  }

  @Test
  void validatesCreationBodiesStrictly() throws Exception {
    String valid = oauthBody("code-1", "t", "n");
    assertBadRequest(without(valid, "configuration", "oauth.api.key"), "oauth.api.key");
    assertBadRequest(without(valid, "configuration", "oauth.api.secret"), "oauth.api.secret");
    assertBadRequest(without(valid, "configuration", "oauth.callback.url"), "oauth.callback.url");
    assertBadRequest(without(valid, "providerData", "code"), "providerData.code");
    assertBadRequest(valid.replace("\"code\": \"code-1\"", "\"code\": \"  \""), "providerData.code");
    assertBadRequest(valid.replace("\"key\": \"campaignmonitor\"", "\"key\": \"mailchimp\""), "element.key");
    assertBadRequest(valid.replace("\"event.notification.enabled\": true", "\"event.notification.enabled\": \"true\""),
        "must be a JSON boolean");
    assertBadRequest(without(valid, "configuration", "event.notification.callback.url"),
        "event.notification.callback.url is required");
    assertBadRequest(valid.replace("\"tags\": [\"t\"]", "\"tags\": [1]"), "tags must be an array of strings");
    assertBadRequest(valid.replace("\"tags\": [\"t\"]", "\"tags\": \"t\""), "tags must be an array of strings");
    assertBadRequest(valid.replace("\"name\": \"n\"", "\"name\": 5"), "name must be a string");
    assertBadRequest("{\"element\": {\"key\": \"campaignmonitor\"}, \"configuration\": \"x\"}", "configuration");
    assertBadRequest("""
        {"element": {"key": "campaignmonitor"}, "configuration": {"authentication.type": "basic"}}""", "username");
    assertBadRequest("{\"element\": {\"key\": \"campaignmonitor\", ", "Malformed JSON");
    assertBadRequest("[1, 2]", "JSON object");

    HttpResponse<String> noContentType = send(request("POST", "/instances", valid, AUTH, null));
    assertThat(noContentType.statusCode()).isEqualTo(415);
    assertThat(simulator.instances()).isEmpty();
    // none of the rejected requests burned the code
    assertThat(call("POST", "/instances", valid).statusCode()).isEqualTo(200);
  }

  // --- search, read, update, delete ----------------------------------------------------------------------------------

  @Test
  void searchesByTagsWithThe404QuirkAndUrlEncodedTags() throws Exception {
    assertThat(call("GET", "/instances", null).statusCode()).isEqualTo(404);
    long a = createBasic("team/a b+c", "shared");
    long b = createBasic("other", "shared");

    HttpResponse<String> one = call("GET", "/instances?" + tagQuery("team/a b+c"), null);
    assertThat(one.statusCode()).isEqualTo(200);
    JsonNode list = json(one);
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("id").asLong()).isEqualTo(a);
    assertThat(list.get(0).path("token").asText()).isEqualTo(simulator.instance(a).orElseThrow().token());
    assertThat(list.get(0).path("configuration").path("username").asText()).isEqualTo("********");

    assertThat(ids(call("GET", "/instances?" + tagQuery("shared"), null))).containsExactly(a, b);
    assertThat(ids(call("GET", "/instances?" + tagQuery("shared") + "&" + tagQuery("other"), null)))
        .containsExactly(b);
    assertThat(ids(call("GET", "/instances", null))).containsExactly(a, b);

    HttpResponse<String> none = call("GET", "/instances?" + tagQuery("missing"), null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).path("message").asText()).isNotBlank();
    assertThat(json(none).path("requestId").asText()).isNotBlank();
  }

  @Test
  void getsOneInstanceWithTokenOr404() throws Exception {
    long id = createBasic("t");
    HttpResponse<String> found = call("GET", "/instances/" + id, null);
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(json(found).path("token").asText()).isEqualTo(simulator.instance(id).orElseThrow().token());
    assertThat(call("GET", "/instances/999999", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/instances/abc", null).statusCode()).isEqualTo(404);
  }

  @Test
  void patchMergesConfigurationAndReplacesTags() throws Exception {
    long id = createOauth(simulator.newAuthorizationCode(), "old-tag");
    HttpResponse<String> patched = call("PATCH", "/instances/" + id, """
        {"name": "Renamed", "tags": ["new-1", "new-2"],
         "configuration": {"events.list.ids": "list-9", "event.notification.enabled": false}}""");

    assertThat(patched.statusCode()).isEqualTo(200);
    JsonNode body = json(patched);
    assertThat(body.path("name").asText()).isEqualTo("Renamed");
    assertThat(body.path("configuration").path("events.list.ids").asText()).isEqualTo("list-9");
    assertThat(body.path("configuration").path("oauth.api.secret").asText()).isEqualTo("********");
    SimulatedInstance instance = simulator.instance(id).orElseThrow();
    assertThat(instance.tags()).containsExactly("new-1", "new-2");
    assertThat(instance.configuration())
        .containsEntry("events.list.ids", "list-9")
        .containsEntry("event.notification.enabled", false)
        .containsEntry("oauth.api.secret", "consumer-secret")
        .containsEntry("event.notification.callback.url", "https://hooks.example.com/ce");

    HttpResponse<String> stringBoolean = call("PATCH", "/instances/" + id,
        "{\"configuration\": {\"event.notification.enabled\": \"true\"}}");
    assertThat(stringBoolean.statusCode()).isEqualTo(400);
    assertThat(call("PATCH", "/instances/999999", "{\"name\": \"x\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void reauthenticationIssuesANewTokenAndBurnsTheCode() throws Exception {
    long id = createOauth(simulator.newAuthorizationCode(), "t");
    String oldToken = simulator.instance(id).orElseThrow().token();
    simulator.markInvalid(id);
    assertThat(json(call("GET", "/instances/" + id, null)).path("valid").asBoolean()).isFalse();

    String code = simulator.newAuthorizationCode();
    String body = "{\"providerData\": {\"code\": \"" + code + "\"}, \"configuration\": {\"events.list.ids\": \"l-3\"}}";
    assertThat(call("PUT", "/instances/" + id, body).statusCode()).isEqualTo(400);  // no reAuthenticate=true
    assertThat(call("PUT", "/instances/" + id + "?reAuthenticate=true", "{}").statusCode()).isEqualTo(400);

    HttpResponse<String> reauth = call("PUT", "/instances/" + id + "?reAuthenticate=true", body);
    assertThat(reauth.statusCode()).isEqualTo(200);
    JsonNode answer = json(reauth);
    assertThat(answer.path("id").asLong()).isEqualTo(id);
    assertThat(answer.path("token").asText()).isNotEqualTo(oldToken).hasSize(44);
    assertThat(answer.path("valid").asBoolean()).isTrue();
    assertThat(simulator.instance(id).orElseThrow().configuration()).containsEntry("events.list.ids", "l-3");

    HttpResponse<String> again = call("PUT", "/instances/" + id + "?reAuthenticate=true", body);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(json(again).path("message").asText()).isEqualTo(InstanceStore.CODE_REJECTED);
    assertThat(call("POST", "/instances", oauthBody(code, "t", "n")).statusCode()).isEqualTo(400);
  }

  @Test
  void deleteThen404AndRemoteDeletion() throws Exception {
    long id = createBasic("t");
    HttpResponse<String> deleted = call("DELETE", "/instances/" + id, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/instances/" + id, null).statusCode()).isEqualTo(404);

    long other = createBasic("t");
    simulator.deleteRemotely(other);
    assertThat(call("GET", "/instances/" + other, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/instances?" + tagQuery("t"), null).statusCode()).isEqualTo(404);
    assertThat(simulator.instances()).isEmpty();
  }

  @Test
  void unknownPathsAndWrongMethods() throws Exception {
    assertThat(call("GET", "/nothing", null).statusCode()).isEqualTo(404);
    HttpResponse<String> wrongMethod = call("DELETE", "/instances", null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(json(wrongMethod).path("message").asText()).isNotBlank();
    assertThat(call("POST", "/instances/1000", "{}").statusCode()).isEqualTo(405);
    assertThat(call("GET", "/elements/mailchimp/oauth/url?apiKey=a&apiSecret=b&callbackUrl=http://x", null)
        .statusCode()).isEqualTo(404);
    HttpResponse<String> outside = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + simulator.port() + "/other")).GET().build());
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(outside.headers().firstValue("Elements-Request-Id")).isPresent();
  }

  // --- OAuth consent -------------------------------------------------------------------------------------------------

  @Test
  void oauthUrlLeadsToAConsentPageThatRedirectsWithAUsableCode() throws Exception {
    String callback = "https://app.example.com/callback?x=1";
    HttpResponse<String> url = call("GET", "/elements/campaignmonitor/oauth/url?apiKey=consumer-key"
        + "&apiSecret=consumer-secret&callbackUrl=" + encode(callback) + "&state=" + encode("st 1"), null);
    assertThat(url.statusCode()).isEqualTo(200);
    assertThat(json(url).path("element").asText()).isEqualTo("campaignmonitor");
    String oauthUrl = json(url).path("oauthUrl").asText();
    assertThat(oauthUrl).startsWith(simulator.baseUrl() + "/simulator/consent?");

    HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(oauthUrl)).GET().build());  // no auth
    assertThat(consent.statusCode()).isEqualTo(302);
    String location = consent.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(callback + "&code=").endsWith("&state=st%201");
    String code = location.replaceAll(".*&code=([^&]+)&.*", "$1");

    assertThat(call("POST", "/instances", oauthBody(code, "t", "n")).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/instances", oauthBody(code, "t", "n")).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/elements/campaignmonitor/oauth/url?apiKey=a&apiSecret=b", null).statusCode())
        .isEqualTo(400);

    RecordedRequest recorded = simulator.requests().get(0);
    assertThat(recorded.query()).doesNotContain("consumer-secret", "consumer-key").contains("state=st+1");
    assertThat(simulator.requests().get(1).path()).isEqualTo("/simulator/consent");
  }

  // --- faults --------------------------------------------------------------------------------------------------------

  @Test
  void statusFaultAnswersWithoutProcessing() throws Exception {
    simulator.inject(Fault.status(503).on("POST", "/instances").times(2));
    simulator.inject(Fault.status(500).on("GET", "/instances/"));

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> failed = call("POST", "/instances", basicBody("t"));
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(json(failed).path("requestId").asText()).isNotBlank();
      assertThat(json(failed).path("message").asText()).isNotBlank();
    }
    assertThat(simulator.instances()).isEmpty();
    long id = createBasic("t");
    assertThat(call("GET", "/instances?" + tagQuery("t"), null).statusCode()).isEqualTo(200);  // prefix mismatch
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(500);
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void rateLimitFaultSendsRetryAfter() throws Exception {
    simulator.inject(Fault.rateLimited(7));
    HttpResponse<String> limited = call("POST", "/instances", basicBody("t"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(simulator.instances()).isEmpty();
    assertThat(call("POST", "/instances", basicBody("t")).statusCode()).isEqualTo(200);
  }

  @Test
  void dropAfterProcessingCreatesTheInstanceButTheClientSeesAnIoError() {
    simulator.inject(Fault.dropAfterProcessing().on("POST", "/instances"));

    assertThatThrownBy(() -> call("POST", "/instances", basicBody("lost-response")))
        .isInstanceOf(IOException.class);
    assertThat(simulator.instances()).singleElement()
        .satisfies(i -> assertThat(i.tags()).containsExactly("lost-response"));
    assertThat(simulator.requests()).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.status()).isZero();
    });
  }

  @Test
  void resetBeforeProcessingChangesNothing() throws Exception {
    simulator.inject(Fault.resetBeforeProcessing().on("POST", "/instances"));
    assertThatThrownBy(() -> call("POST", "/instances", basicBody("t"))).isInstanceOf(IOException.class);
    assertThat(simulator.instances()).isEmpty();

    // java.net.http.HttpClient silently retries a GET once when the connection closes before any answer,
    // so a GET needs the fault twice to surface.
    long id = createBasic("t");
    simulator.inject(Fault.resetBeforeProcessing().on("GET", "/instances/").times(2));
    assertThatThrownBy(() -> call("GET", "/instances/" + id, null)).isInstanceOf(IOException.class);
    assertThat(simulator.count("GET", "/instances/")).isEqualTo(2);
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void delayFaultMakesClientsTimeOutWhileTheRequestIsStillProcessed() throws Exception {
    simulator.inject(Fault.delay(Duration.ofMillis(800)).on("POST", "/instances"));
    HttpRequest slow = request("POST", "/instances", basicBody("slow"), AUTH, "application/json")
        .timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> client.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(simulator.instances()).isEmpty();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (simulator.instances().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(simulator.instances()).hasSize(1);
  }

  @Test
  void holdAfterProcessingCreatesTheInstanceAndAnswersOnlyWhenReleased() throws Exception {
    Hold hold = new Hold();
    simulator.inject(Fault.holdAfterProcessing(hold).on("POST", "/instances"));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer = background.submit(() -> call("POST", "/instances", basicBody("held")));

      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      assertThat(hold.isHolding()).isTrue();
      assertThat(simulator.instances()).singleElement().satisfies(i -> assertThat(i.tags()).containsExactly("held"));
      assertThat(simulator.inFlight()).isEqualTo(1);
      assertThat(answer.isDone()).isFalse();

      hold.release();
      assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(simulator.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(hold.arrivals()).isEqualTo(1);
      assertThat(hold.isHolding()).isFalse();
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void holdBeforeProcessingThenDropChangesNothingAndClosesTheConnection() throws Exception {
    long id = createBasic("t");
    Hold hold = new Hold();
    simulator.inject(Fault.holdBeforeProcessing(hold).on("DELETE", "/instances/"));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer = background.submit(() -> call("DELETE", "/instances/" + id, null));

      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      hold.drop();

      assertThatThrownBy(() -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
      assertThat(simulator.instance(id)).isPresent();
      assertThat(simulator.requests()).last().satisfies(r -> assertThat(r.status()).isZero());
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void holdAfterProcessingThenDropKeepsTheEffect() throws Exception {
    long id = createBasic("t");
    Hold hold = new Hold();
    hold.drop();
    simulator.inject(Fault.holdAfterProcessing(hold).on("DELETE", "/instances/"));

    assertThatThrownBy(() -> call("DELETE", "/instances/" + id, null)).isInstanceOf(IOException.class);
    assertThat(simulator.instance(id)).isEmpty();
    assertThat(hold.arrivals()).isEqualTo(1);
  }

  @Test
  void closingTheSimulatorEndsAHold() throws Exception {
    Hold hold = new Hold();
    CloudElementsSimulator own = CloudElementsSimulator.start(SimulatorOptions.defaults());
    own.inject(Fault.holdBeforeProcessing(hold));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer = background.submit(() -> client.send(HttpRequest.newBuilder(
          URI.create(own.baseUrl() + "/instances")).header("Authorization", AUTH).GET().build(),
          HttpResponse.BodyHandlers.ofString()));
      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      own.close();
      assertThatThrownBy(() -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
    } finally {
      background.shutdownNow();
      own.close();
    }
  }

  @Test
  void aFaultCanTargetTheRequestsOfOneTagAndRequestsRecordTheirTags() throws Exception {
    simulator.inject(Fault.status(403).on("POST", "/instances").withTag("victim").times(5));

    assertThat(call("POST", "/instances", basicBody("bystander")).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/instances", basicBody("x", "victim")).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/instances?" + tagQuery("victim"), null).statusCode()).isEqualTo(404);

    assertThat(simulator.requests()).extracting(RecordedRequest::tags).containsExactly(
        List.of("bystander"), List.of("x", "victim"), List.of("victim"));
    assertThat(simulator.instances()).singleElement()
        .satisfies(i -> assertThat(i.tags()).containsExactly("bystander"));
    assertThat(Fault.status(403).withTag("victim").toString()).contains("tagged victim");
  }

  @Test
  void issuedTokensAreRememberedAfterDeletionAndReset() throws Exception {
    long id = createBasic("t");
    String first = simulator.instance(id).orElseThrow().token();
    assertThat(call("DELETE", "/instances/" + id, null).statusCode()).isEqualTo(200);
    simulator.reset();

    assertThat(simulator.issuedTokens()).contains(first);
  }

  @Test
  void theRandomTimeoutCanBeShortenedAndTheRequestIsProcessedAfterIt() throws Exception {
    try (CloudElementsSimulator slow = CloudElementsSimulator.start(SimulatorOptions.defaults())) {
      slow.setRandomTimeout(Duration.ofMillis(600));
      // Seeded so that the first roll is a fault; retried until it is the timeout kind.
      boolean sawTimeout = false;
      for (long seed = 0; seed < 200 && !sawTimeout; seed++) {
        slow.setFaultRate(1.0, seed);
        HttpRequest request = HttpRequest.newBuilder(URI.create(slow.baseUrl() + "/instances"))
            .timeout(Duration.ofMillis(150)).header("Authorization", AUTH)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(basicBody("late-" + seed))).build();
        try {
          client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
          sawTimeout = true;
        } catch (IOException e) {
          // a reset
        }
      }
      assertThat(sawTimeout).isTrue();
      assertThat(slow.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(slow.instances()).as("the timed-out POST was processed after its hang").hasSize(1);
    }
  }

  @Test
  void latencyIsAddedToEveryRequest() throws Exception {
    simulator.setLatency(Duration.ofMillis(250));
    long started = System.nanoTime();
    call("GET", "/instances", null);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void randomFaultRateFailsTheGivenFraction() throws Exception {
    // A separate simulator: the random "timeouts" hang 30 s server-side, and close() cuts them off.
    try (CloudElementsSimulator flaky = CloudElementsSimulator.start(SimulatorOptions.defaults())) {
      flaky.setFaultRate(1.0, 42);
      Set<String> outcomes = new HashSet<>();
      for (int i = 0; i < 15; i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(flaky.baseUrl() + "/instances"))
            .timeout(Duration.ofMillis(150))
            .header("Authorization", AUTH)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(basicBody("r")))
            .build();
        try {
          HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
          outcomes.add(String.valueOf(response.statusCode()));
          if (response.statusCode() == 429) {
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
          }
        } catch (HttpTimeoutException e) {
          outcomes.add("timeout");
        } catch (IOException e) {
          outcomes.add("reset");
        }
      }
      assertThat(outcomes).isSubsetOf("500", "503", "429", "timeout", "reset").hasSizeGreaterThanOrEqualTo(3);
      assertThat(flaky.count("POST", "/instances")).isEqualTo(15);

      flaky.setFaultRate(0, 1);
      HttpResponse<String> healthy = client.send(HttpRequest.newBuilder(URI.create(flaky.baseUrl() + "/instances"))
          .header("Authorization", AUTH).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(healthy.statusCode()).isIn(200, 404);
    }
  }

  // --- log, concurrency, secrets -------------------------------------------------------------------------------------

  @Test
  void recordsRequestsInOrderAndCountsThem() throws Exception {
    long id = createBasic("t");
    call("GET", "/instances/" + id, null);
    call("GET", "/instances?" + tagQuery("t"), null);
    send(request("GET", "/instances", null, "User nope, Organization nope"));

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).extracting(RecordedRequest::method, RecordedRequest::path, RecordedRequest::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/instances", 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances/" + id, 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances", 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances", 401));
    assertThat(requests.get(2).query()).isEqualTo(tagQuery("t"));
    assertThat(requests.get(0).query()).isNull();
    assertThat(requests).extracting(RecordedRequest::at).isSorted();
    assertThat(simulator.count("POST", "/instances")).isEqualTo(1);
    assertThat(simulator.count("GET", "/instances")).isEqualTo(3);
    assertThat(simulator.count("GET", "/instances/")).isEqualTo(1);
    assertThat(simulator.count(null, "/")).isEqualTo(4);
  }

  @Test
  void concurrentCreatesNeverShareAnIdAndACodeWinsOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Callable<HttpResponse<String>>> creates = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        creates.add(() -> call("POST", "/instances", basicBody("c")));
      }
      Set<Long> ids = new HashSet<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(creates)) {
        assertThat(f.get().statusCode()).isEqualTo(200);
        ids.add(json(f.get()).path("id").asLong());
      }
      assertThat(ids).hasSize(50);
      assertThat(simulator.instances()).hasSize(50);

      String code = simulator.newAuthorizationCode();
      List<Callable<HttpResponse<String>>> racing = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        racing.add(() -> call("POST", "/instances", oauthBody(code, "race", "n")));
      }
      long winners = 0;
      for (Future<HttpResponse<String>> f : pool.invokeAll(racing)) {
        winners += f.get().statusCode() == 200 ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void toStringsHideTokensAndSecrets() throws Exception {
    long id = createOauth(simulator.newAuthorizationCode(), "t");
    SimulatedInstance instance = simulator.instance(id).orElseThrow();
    assertThat(instance.toString())
        .doesNotContain(instance.token(), "consumer-secret", "consumer-key", "signing-key")
        .contains("id=" + id, "********", "https://hooks.example.com/ce");
    call("GET", "/elements/campaignmonitor/oauth/url?apiKey=consumer-key&apiSecret=consumer-secret"
        + "&callbackUrl=" + encode("https://app.example.com/cb"), null);
    for (RecordedRequest request : simulator.requests()) {
      assertThat(request.toString()).doesNotContain(instance.token(), "consumer-secret", "consumer-key",
          "user-secret", "org-secret");
    }
    assertThat(simulator.options().toString()).doesNotContain("user-secret", "org-secret");
  }

  // --- helpers -------------------------------------------------------------------------------------------------------

  private static String oauthBody(String code, String tag, String name) {
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
         "name": "%s"}""".formatted(code, tag, name);
  }

  private static String basicBody(String... tags) {
    StringBuilder tagArray = new StringBuilder();
    for (String tag : tags) {
      tagArray.append(tagArray.length() == 0 ? "" : ", ").append(MAPPER.valueToTree(tag).toString());
    }
    return """
        {"element": {"key": "campaignmonitor"},
         "configuration": {"authentication.type": "basic", "username": "cm-api-key"},
         "tags": [%s], "name": "basic"}""".formatted(tagArray);
  }

  private static long createBasic(String... tags) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", basicBody(tags));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("id").asLong();
  }

  private static long createOauth(String code, String tag) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", oauthBody(code, tag, "n"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("id").asLong();
  }

  private static String without(String body, String object, String field) throws IOException {
    ObjectNode node = (ObjectNode) MAPPER.readTree(body);
    ((ObjectNode) node.path(object)).remove(field);
    return node.toString();
  }

  private static void assertBadRequest(String body, String messagePart) throws Exception {
    HttpResponse<String> response = call("POST", "/instances", body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(json(response).path("message").asText()).as(body).contains(messagePart);
    assertThat(json(response).path("requestId").asText()).isNotBlank();
  }

  private static String tagQuery(String tag) {
    return "tags%5B%5D=" + encode(tag);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<Long> ids(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    json(response).forEach(node -> ids.add(node.path("id").asLong()));
    return ids;
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return MAPPER.readTree(response.body());
  }

  private static HttpResponse<String> call(String method, String path, String body) throws Exception {
    return send(request(method, path, body, AUTH));
  }

  private static HttpRequest.Builder request(String method, String path, String body, String auth) {
    return request(method, path, body, auth, "application/json");
  }

  private static HttpRequest.Builder request(String method, String path, String body, String auth,
      String contentType) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      builder.header("Authorization", auth);
    }
    if (body != null && contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return builder;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
