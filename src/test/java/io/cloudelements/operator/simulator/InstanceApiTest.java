package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;

/**
 * The instance calls over real HTTP: creation, search, read, update, re-authentication, deletion,
 * credentials.
 */
class InstanceApiTest extends SimulatorHttpTest {

  @Test
  void createsAnOauthInstanceAndAnswersItMasked() throws Exception {
    String code = simulator.newAuthorizationCode();
    HttpResponse<String> response =
        call("POST", "/instances", oauthBody(code, "Docs", "API Instance"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Elements-Request-Id"))
        .hasValueSatisfying(id -> assertThat(UUID.fromString(id)).isNotNull());
    JsonNode body = json(response);
    String token = body.path("token").asText();
    assertThat(token).hasSize(44).matches("[A-Za-z0-9_-]+");
    assertThat(Instant.parse(body.path("createdDate").asText())).isBeforeOrEqualTo(Instant.now());
    long id = body.path("id").asLong();
    assertThat(id)
        .isGreaterThanOrEqualTo(1000); // ids start at 1000 and keep increasing across reset()

    JsonNode expected =
        MAPPER.readTree(
            """
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
        """
                .formatted(id, token, body.path("createdDate").asText()));
    assertThat(body).isEqualTo(expected);
    assertThat(response.body())
        .doesNotContain("consumer-secret", "consumer-key", "providerData", code);

    SimulatedInstance instance = simulator.instance(id).orElseThrow();
    assertThat(instance.token()).isEqualTo(token);
    assertThat(instance.configuration())
        .containsEntry("oauth.api.secret", "consumer-secret")
        .containsEntry("event.notification.enabled", true);
    assertThat(instance.valid()).isTrue();
    assertThat(instance.disabled()).isFalse();
  }

  @Test
  void createsABasicInstanceWithoutCode() throws Exception {
    HttpResponse<String> response =
        call(
            "POST",
            "/instances",
            """
        {"element": {"key": "campaignmonitor"},
         "configuration": {"authentication.type": "basic", "username": "cm-api-key"},
         "tags": ["basic"], "name": "Basic"}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("configuration"))
        .isEqualTo(
            MAPPER.readTree("{\"authentication.type\": \"basic\", \"username\": \"********\"}"));
    assertThat(body.path("name").asText()).isEqualTo("Basic");
    assertThat(body.has("providerData")).isFalse();
    assertThat(simulator.instances())
        .singleElement()
        .satisfies(i -> assertThat(i.configuration()).containsEntry("username", "cm-api-key"));
  }

  @Test
  void rejectsMissingOrWrongCredentialsWithoutEchoingThem() throws Exception {
    for (String auth :
        new String[] {
          null,
          "",
          "User user-secret",
          "User wrong-secret, Organization org-secret",
          "User user-secret, Organization wrong-org",
          "Bearer xyz-token",
          "User user-secret, Organization org-secret, X y"
        }) {
      HttpResponse<String> response = send(request("GET", "/instances", null, auth));
      assertThat(response.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
      assertThat(json(response).path("message").asText()).isNotBlank();
      assertThat(json(response).path("requestId").asText())
          .isEqualTo(response.headers().firstValue("Elements-Request-Id").orElseThrow());
      assertThat(response.body()).doesNotContain("wrong-secret", "wrong-org", "xyz-token");
    }
    createBasic("x");
    for (String auth :
        new String[] {
          "User  user-secret ,Organization   org-secret",
          "User user-secret, Organization org-secret, Element some-token",
          "  Organization org-secret,User user-secret  "
        }) {
      assertThat(send(request("GET", "/instances", null, auth)).statusCode())
          .as(auth)
          .isEqualTo(200);
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
    assertBadRequest(
        valid.replace("\"code\": \"code-1\"", "\"code\": \"  \""), "providerData.code");
    assertBadRequest(
        valid.replace("\"key\": \"campaignmonitor\"", "\"key\": \"mailchimp\""), "element.key");
    assertBadRequest(
        valid.replace(
            "\"event.notification.enabled\": true", "\"event.notification.enabled\": \"true\""),
        "must be a JSON boolean");
    assertBadRequest(
        without(valid, "configuration", "event.notification.callback.url"),
        "event.notification.callback.url is required");
    assertBadRequest(
        valid.replace("\"tags\": [\"t\"]", "\"tags\": [1]"), "tags must be an array of strings");
    assertBadRequest(
        valid.replace("\"tags\": [\"t\"]", "\"tags\": \"t\""), "tags must be an array of strings");
    assertBadRequest(valid.replace("\"name\": \"n\"", "\"name\": 5"), "name must be a string");
    assertBadRequest(
        "{\"element\": {\"key\": \"campaignmonitor\"}, \"configuration\": \"x\"}", "configuration");
    assertBadRequest(
        """
        {"element": {"key": "campaignmonitor"}, "configuration": {"authentication.type": "basic"}}""",
        "username");
    assertBadRequest("{\"element\": {\"key\": \"campaignmonitor\", ", "Malformed JSON");
    assertBadRequest("[1, 2]", "JSON object");

    HttpResponse<String> noContentType = send(request("POST", "/instances", valid, AUTH, null));
    assertThat(noContentType.statusCode()).isEqualTo(415);
    assertThat(simulator.instances()).isEmpty();
    // none of the rejected requests burned the code
    assertThat(call("POST", "/instances", valid).statusCode()).isEqualTo(200);
  }

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
    assertThat(list.get(0).path("token").asText())
        .isEqualTo(simulator.instance(a).orElseThrow().token());
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
    assertThat(json(found).path("token").asText())
        .isEqualTo(simulator.instance(id).orElseThrow().token());
    assertThat(call("GET", "/instances/999999", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/instances/abc", null).statusCode()).isEqualTo(404);
  }

  @Test
  void patchMergesConfigurationAndReplacesTags() throws Exception {
    long id = createOauth(simulator.newAuthorizationCode(), "old-tag");
    HttpResponse<String> patched =
        call(
            "PATCH",
            "/instances/" + id,
            """
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

    HttpResponse<String> stringBoolean =
        call(
            "PATCH",
            "/instances/" + id,
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
    String body =
        "{\"providerData\": {\"code\": \""
            + code
            + "\"}, \"configuration\": {\"events.list.ids\": \"l-3\"}}";
    assertThat(call("PUT", "/instances/" + id, body).statusCode())
        .isEqualTo(400); // no reAuthenticate=true
    assertThat(call("PUT", "/instances/" + id + "?reAuthenticate=true", "{}").statusCode())
        .isEqualTo(400);

    HttpResponse<String> reauth = call("PUT", "/instances/" + id + "?reAuthenticate=true", body);
    assertThat(reauth.statusCode()).isEqualTo(200);
    JsonNode answer = json(reauth);
    assertThat(answer.path("id").asLong()).isEqualTo(id);
    assertThat(answer.path("token").asText()).isNotEqualTo(oldToken).hasSize(44);
    assertThat(answer.path("valid").asBoolean()).isTrue();
    assertThat(simulator.instance(id).orElseThrow().configuration())
        .containsEntry("events.list.ids", "l-3");

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
    assertThat(
            call(
                    "GET",
                    "/elements/mailchimp/oauth/url?apiKey=a&apiSecret=b&callbackUrl=http://x",
                    null)
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> outside =
        send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + "/other"))
                .GET()
                .build());
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(outside.headers().firstValue("Elements-Request-Id")).isPresent();
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
    call(
        "GET",
        "/elements/campaignmonitor/oauth/url?apiKey=consumer-key&apiSecret=consumer-secret"
            + "&callbackUrl="
            + encode("https://app.example.com/cb"),
        null);
    for (RecordedRequest request : simulator.requests()) {
      assertThat(request.toString())
          .doesNotContain(
              instance.token(), "consumer-secret", "consumer-key", "user-secret", "org-secret");
    }
    assertThat(simulator.options().toString()).doesNotContain("user-secret", "org-secret");
  }
}
