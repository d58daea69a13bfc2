package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OAuth consent URL and the simulated consent page. */
class ConsentTest extends SimulatorHttpTest {

  private static final String CALLBACK = "https://app.example.com/callback?x=1";

  @AfterEach
  void askAgain() {
    simulator.setConsentAutoApprove(false);
  }

  @Test
  void oauthUrlCarriesTheStateAndNeverTheConsumerSecret() throws Exception {
    HttpResponse<String> url =
        call(
            "GET",
            "/elements/campaignmonitor/oauth/url?apiKey=consumer-key"
                + "&apiSecret=consumer-secret&callbackUrl="
                + encode(CALLBACK)
                + "&state="
                + encode("st 1"),
            null);

    assertThat(url.statusCode()).isEqualTo(200);
    assertThat(url.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(url).size()).isEqualTo(2);
    assertThat(json(url).path("element").asText()).isEqualTo("campaignmonitor");
    String oauthUrl = json(url).path("oauthUrl").asText();
    assertThat(oauthUrl)
        .isEqualTo(
            simulator.baseUrl()
                + "/simulator/consent?callbackUrl="
                + encode(CALLBACK).replace("+", "%20")
                + "&state=st%201");
    assertThat(oauthUrl).doesNotContain("consumer-secret", "apiSecret");

    assertThat(
            call("GET", "/elements/campaignmonitor/oauth/url?apiKey=a&apiSecret=b", null)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            call("GET", "/elements/campaignmonitor/oauth/url?apiKey=a&callbackUrl=http://x", null)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            send(request(
                    "GET",
                    "/elements/campaignmonitor/oauth/url?apiKey=a&apiSecret=b&callbackUrl=http://x",
                    null,
                    null))
                .statusCode())
        .isEqualTo(401);
    RecordedRequest recorded = simulator.requests().get(0);
    assertThat(recorded.query())
        .doesNotContain("consumer-secret", "consumer-key")
        .contains("state=st+1");
  }

  @Test
  void aPlainGetAsksAPersonWithApproveAndDenyLinks() throws Exception {
    String oauthUrl = oauthUrl("<b>&\"state\"");
    HttpResponse<String> page =
        send(HttpRequest.newBuilder(URI.create(oauthUrl)).GET().build()); // no auth

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("id=\"approve\"", "id=\"deny\"", "decision=approve", "decision=deny")
        .doesNotContain("<b>", "code=");
    assertThat(simulator.requests())
        .last()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/simulator/consent"));

    String approveHref =
        page.body()
            .replaceAll("(?s).*id=\"approve\" href=\"([^\"]+)\".*", "$1")
            .replace("&amp;", "&");
    HttpResponse<String> approved =
        send(HttpRequest.newBuilder(URI.create(oauthUrl).resolve(approveHref)).GET().build());
    assertThat(approved.statusCode()).isEqualTo(302);
    assertThat(approved.headers().firstValue("Location").orElseThrow())
        .startsWith(CALLBACK + "&code=")
        .endsWith("&state=" + encode("<b>&\"state\"").replace("+", "%20"));
  }

  @Test
  void anApprovalRedirectsWithACodeAcceptedOnceByCreation() throws Exception {
    String location = follow(oauthUrl("st 1") + "&decision=approve");
    assertThat(location).startsWith(CALLBACK + "&code=").endsWith("&state=st%201");
    String code = codeOf(location);

    assertThat(call("POST", "/instances", oauthBody(code, "t", "n")).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = call("POST", "/instances", oauthBody(code, "t", "n"));
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(json(replay).path("message").asText()).isEqualTo(InstanceStore.CODE_REJECTED);
  }

  @Test
  void autoApproveRedirectsAtOnceAndItsCodesReauthenticateOnce() throws Exception {
    simulator.setConsentAutoApprove(true);
    long id = createOauth(codeOf(follow(oauthUrl("first"))), "t");
    String oldToken = simulator.instance(id).orElseThrow().token();
    simulator.markInvalid(id);

    String location = follow(oauthUrl("second"));
    assertThat(location).endsWith("&state=second");
    String body = "{\"providerData\": {\"code\": \"" + codeOf(location) + "\"}}";
    HttpResponse<String> reauth = call("PUT", "/instances/" + id + "?reAuthenticate=true", body);
    assertThat(reauth.statusCode()).as(reauth.body()).isEqualTo(200);
    assertThat(json(reauth).path("valid").asBoolean()).isTrue();
    assertThat(json(reauth).path("token").asText()).isNotEqualTo(oldToken);
    assertThat(call("PUT", "/instances/" + id + "?reAuthenticate=true", body).statusCode())
        .isEqualTo(400);
  }

  @Test
  void aDenialRedirectsWithAccessDeniedAndTheStateAndNoCode() throws Exception {
    String location = follow(oauthUrl("st-9") + "&decision=deny");
    assertThat(location).isEqualTo(CALLBACK + "&error=access_denied&state=st-9");

    simulator.setConsentAutoApprove(true);
    assertThat(follow(oauthUrl("st-10") + "&decision=deny"))
        .isEqualTo(CALLBACK + "&error=access_denied&state=st-10");
    HttpResponse<String> unknown =
        send(HttpRequest.newBuilder(URI.create(oauthUrl("s") + "&decision=maybe")).GET().build());
    assertThat(unknown.statusCode()).isEqualTo(400);
  }

  private static String oauthUrl(String state) throws Exception {
    HttpResponse<String> url =
        call(
            "GET",
            "/elements/campaignmonitor/oauth/url?apiKey=consumer-key"
                + "&apiSecret=consumer-secret&callbackUrl="
                + encode(CALLBACK)
                + "&state="
                + encode(state),
            null);
    assertThat(url.statusCode()).as(url.body()).isEqualTo(200);
    return json(url).path("oauthUrl").asText();
  }

  /** The Location of the consent page's redirect (asserted to be one). */
  private static String follow(String consentUrl) throws Exception {
    HttpResponse<String> redirect =
        send(HttpRequest.newBuilder(URI.create(consentUrl)).GET().build());
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
    return redirect.headers().firstValue("Location").orElseThrow();
  }

  private static String codeOf(String location) {
    return location.replaceAll(".*&code=([^&]+)&.*", "$1");
  }
}
