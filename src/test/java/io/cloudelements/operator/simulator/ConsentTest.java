package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The OAuth consent URL and the simulated consent page. */
class ConsentTest extends SimulatorHttpTest {

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
}
