package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.consent.StateKeySecret;
import io.cloudelements.operator.consent.StateSigner;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad input at the OAuth callback endpoint, over real HTTP against the running operator: every bad
 * callback answers a 4xx plain page naming its case, writes nothing, echoes nothing and leaves the
 * state usable; then the good callback still works, and nothing anyone can read holds the code, the
 * consumer secret or the HMAC key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadCallbackIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");

  private static OperatorStack stack;
  private static String consumerSecret;
  private static final Map<String, String> answers = new LinkedHashMap<>();

  /** One bad callback and the answer it must get. */
  record Case(
      String name,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      int status,
      String tag) {}

  @BeforeAll
  static void start() {
    stack = OperatorStack.builder().namespace("callbacks").start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void everyBadCallbackAnswers4xxWritesNothingLeaksNothingAndSpendsNothing() throws Exception {
    consumerSecret = secrets("victim");
    secrets("other");
    secrets("refused");
    stack.apply(InstanceYaml.consent("victim", "victim", stack.callbackUrl(), ""));
    stack.apply(InstanceYaml.consent("other", "other", stack.callbackUrl(), ""));
    stack.apply(InstanceYaml.consent("refused", "refused", stack.callbackUrl(), ""));
    CampaignMonitorInstance victim = stack.awaitReason("victim", "AwaitingConsent");
    CampaignMonitorInstance other = stack.awaitReason("other", "AwaitingConsent");
    CampaignMonitorInstance refused = stack.awaitReason("refused", "AwaitingConsent");
    String state = stateOf(victim);
    String refusedState = stateOf(refused);
    assertThat(get("/oauth/callback?error=access_denied&state=" + refusedState).statusCode())
        .isEqualTo(200);
    stack.awaitReason("refused", "ConsentDenied");

    StateSigner signer = operatorsSigner();
    StateSigner foreign =
        new StateSigner(StateSigner.newKey(new SecureRandom()), new SecureRandom());
    String ns = stack.namespace();
    String uid = victim.getMetadata().getUid();
    String attempt = victim.getStatus().getAuthorization().getAttempt();
    Instant later = Instant.now().plusSeconds(600);
    String code = "code-" + java.util.UUID.randomUUID();
    String script = URLEncoder.encode("<script>alert('x')</script>", StandardCharsets.UTF_8);
    List<Case> cases =
        List.of(
            new Case(
                "no state", "GET", "/oauth/callback?code=" + code, Map.of(), 400, "missing_state"),
            new Case(
                "empty state",
                "GET",
                "/oauth/callback?code=" + code + "&state=",
                Map.of(),
                400,
                "missing_state"),
            new Case(
                "forged state (another key)",
                "GET",
                "/oauth/callback?code="
                    + code
                    + "&state="
                    + foreign.issue(ns, "victim", uid, attempt, later),
                Map.of(),
                400,
                "invalid_state"),
            new Case(
                "tampered state",
                "GET",
                "/oauth/callback?code=" + code + "&state=" + tamper(state),
                Map.of(),
                400,
                "invalid_state"),
            new Case(
                "script as state",
                "GET",
                "/oauth/callback?code=" + code + "&state=" + script,
                Map.of(),
                400,
                "invalid_state"),
            new Case(
                "state for another resource",
                "GET",
                "/oauth/callback?code="
                    + code
                    + "&state="
                    + signer.issue(ns, "other", other.getMetadata().getUid(), attempt, later),
                Map.of(),
                409,
                "superseded_state"),
            new Case(
                "state for a deleted resource",
                "GET",
                "/oauth/callback?code="
                    + code
                    + "&state="
                    + signer.issue(ns, "gone", "uid-of-gone", attempt, later),
                Map.of(),
                404,
                "unknown_resource"),
            new Case(
                "state for a re-created resource (other uid)",
                "GET",
                "/oauth/callback?code="
                    + code
                    + "&state="
                    + signer.issue(ns, "victim", "uid-before-recreation", attempt, later),
                Map.of(),
                404,
                "unknown_resource"),
            new Case(
                "expired state",
                "GET",
                "/oauth/callback?code="
                    + code
                    + "&state="
                    + signer.issue(ns, "victim", uid, attempt, Instant.now().minusSeconds(1)),
                Map.of(),
                410,
                "expired_state"),
            new Case(
                "replayed state",
                "GET",
                "/oauth/callback?code=" + code + "&state=" + refusedState,
                Map.of(),
                409,
                "replayed_state"),
            new Case(
                "missing code",
                "GET",
                "/oauth/callback?state=" + state,
                Map.of(),
                400,
                "missing_code"),
            new Case(
                "code with markup",
                "GET",
                "/oauth/callback?state=" + state + "&code=" + script,
                Map.of(),
                400,
                "invalid_code"),
            new Case(
                "repeated code",
                "GET",
                "/oauth/callback?state=" + state + "&code=" + code + "&code=x",
                Map.of(),
                400,
                "repeated_parameter"),
            new Case(
                "POST",
                "POST",
                "/oauth/callback?state=" + state + "&code=" + code,
                Map.of(),
                405,
                "method_not_allowed"),
            new Case(
                "PUT",
                "PUT",
                "/oauth/callback?state=" + state + "&code=" + code,
                Map.of(),
                405,
                "method_not_allowed"),
            new Case(
                "query over 4 KiB",
                "GET",
                "/oauth/callback?state=" + state + "&code=" + code + "&pad=" + "p".repeat(4100),
                Map.of(),
                414,
                "query_too_large"),
            new Case(
                "headers over 8 KiB",
                "GET",
                "/oauth/callback?state=" + state + "&code=" + code,
                Map.of("X-Pad", "h".repeat(9000)),
                431,
                "headers_too_large"),
            new Case(
                "other path",
                "GET",
                "/oauth/callback/x?state=" + state + "&code=" + code,
                Map.of(),
                404,
                "not_found"),
            new Case(
                "management path on the callback port",
                "GET",
                "/metrics",
                Map.of(),
                404,
                "not_found"));

    for (Case c : cases) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri(c.pathAndQuery()))
              .method(c.method(), HttpRequest.BodyPublishers.noBody())
              .timeout(Duration.ofSeconds(10));
      c.headers().forEach(request::header);
      HttpResponse<String> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      answers.put(c.name(), answer.body());
      assertThat(answer.statusCode()).as(c.name()).isEqualTo(c.status()).isBetween(400, 499);
      assertThat(answer.headers().firstValue("Content-Type"))
          .as(c.name())
          .hasValue("text/plain; charset=utf-8");
      assertThat(answer.body())
          .as(c.name())
          .contains("(" + c.tag() + ")")
          .doesNotContain(code)
          .doesNotContain(state)
          .doesNotContain("<script")
          .doesNotContain("alert");
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(12);

    HttpResponse<Void> head =
        HTTP.send(
            HttpRequest.newBuilder(uri("/oauth/callback?state=" + state + "&code=" + code))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).as("HEAD of a valid callback").isEqualTo(200);

    for (String name : List.of("victim", "other")) {
      assertThat(stack.secret(name + "-oauth-code")).as("nothing written for " + name).isEmpty();
      AuthorizationStatus authorization = stack.get(name).getStatus().getAuthorization();
      assertThat(authorization.getUsedAt()).as("the state of " + name + " is not spent").isNull();
      assertThat(authorization.getAttempt())
          .isEqualTo(
              name.equals("victim") ? attempt : other.getStatus().getAuthorization().getAttempt());
    }
    assertThat(stack.secret("gone-oauth-code")).isEmpty();

    HttpResponse<String> good = get("/oauth/callback?state=" + state + "&code=" + code);
    assertThat(good.statusCode())
        .as("the state is still usable after every bad callback")
        .isEqualTo(200);
    stack.awaitReason("victim", "Available");
  }

  @Test
  @Order(2)
  void nothingReadableHoldsTheCodeTheConsumerSecretOrTheHmacKey() {
    Secret codeSecret = stack.secret("victim-oauth-code").orElseThrow();
    String storedCode =
        new String(
            Base64.getDecoder().decode(codeSecret.getData().get("code")), StandardCharsets.UTF_8);
    String key = stateKeySecret().getData().get(StateKeySecret.KEY);
    byte[] keyBytes = Base64.getDecoder().decode(key);
    List<String> secrets = new ArrayList<>(stack.secretValues());
    secrets.addAll(
        List.of(
            storedCode,
            consumerSecret,
            key,
            Base64.getUrlEncoder().withoutPadding().encodeToString(keyBytes),
            java.util.HexFormat.of().formatHex(keyBytes)));
    Map<String, String> sources = new LinkedHashMap<>(stack.visible());
    answers.forEach((name, body) -> sources.put("callback answer: " + name, body));

    LeakScanner.assertClean(sources, secrets);
  }

  private static String secrets(String prefix) {
    stack.credentials(prefix + "-account");
    String secret = stack.canary("consumer-secret");
    stack.createSecret(
        prefix + "-app",
        Map.of("consumerKey", stack.canary("consumer-key"), "consumerSecret", secret));
    return secret;
  }

  private static String stateOf(CampaignMonitorInstance cr) {
    Matcher m = STATE.matcher(cr.getStatus().getAuthorization().getUrl());
    assertThat(m.find()).as("the consent URL carries the state").isTrue();
    return m.group(1);
  }

  private static String tamper(String state) {
    int at = state.length() / 3;
    return state.substring(0, at) + (state.charAt(at) == 'A' ? 'B' : 'A') + state.substring(at + 1);
  }

  private static Secret stateKeySecret() {
    return stack.client().secrets().inNamespace("default").withName(StateKeySecret.NAME).get();
  }

  /**
   * The operator's own signer, from its key Secret: to make validly signed states that must still
   * be refused.
   */
  private static StateSigner operatorsSigner() {
    return new StateSigner(
        Base64.getDecoder().decode(stateKeySecret().getData().get(StateKeySecret.KEY)),
        new SecureRandom());
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(pathAndQuery)).GET().timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + stack.callbackPort() + pathAndQuery);
  }
}
