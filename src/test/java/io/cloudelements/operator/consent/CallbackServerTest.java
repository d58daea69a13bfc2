package io.cloudelements.operator.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceSpec;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.LocalSecretReference;
import io.cloudelements.operator.api.OAuthSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The callback endpoint over real HTTP against the mock API server in CRUD mode. */
class CallbackServerTest {

  private static final String NS = "marketing";
  private static final String CODE = "grant-code-7c1e9a";
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

  private final SecureRandom random = new SecureRandom();
  private final StateSigner signer = new StateSigner(StateSigner.newKey(random), random);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final HttpClient http = HttpClient.newHttpClient();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private EmbeddedKubernetes kubernetes;
  private KubernetesClient client;
  private CallbackServer server;

  @BeforeEach
  void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
    server =
        CallbackServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new ConsentCallback(client, signer, clock),
            registry);
  }

  @AfterEach
  void stop() {
    server.close();
    kubernetes.close();
  }

  @Test
  void aValidCallbackStoresTheCodeSpendsTheStateAndAnswersTheApprovalPage() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");
    String state = stateFor(cr, "a1", NOW.plusSeconds(900));

    HttpResponse<String> response = get("/oauth/callback?code=" + CODE + "&state=" + state);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.body())
        .contains(
            "Campaign Monitor access approved for marketing/newsletter. "
                + "You can close this window.");
    Secret secret = client.secrets().inNamespace(NS).withName("newsletter-oauth-code").get();
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get("code")), StandardCharsets.UTF_8))
        .isEqualTo(CODE);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "campaign-monitor-operator");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getController()).isTrue();
              assertThat(o.getUid()).isEqualTo(cr.getMetadata().getUid());
            });
    AuthorizationStatus authorization = read("newsletter").getStatus().getAuthorization();
    assertThat(authorization.getUsedAt()).isEqualTo(NOW.toString());
    assertThat(authorization.getResult()).isEqualTo(AuthorizationStatus.Result.Approved);
    assertThat(count("approved")).isEqualTo(1.0);
  }

  @Test
  void theSameStateAgainIsAReplayAndChangesNothing() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");
    String state = stateFor(cr, "a1", NOW.plusSeconds(900));
    assertThat(get("/oauth/callback?code=" + CODE + "&state=" + state).statusCode()).isEqualTo(200);
    String version =
        client
            .secrets()
            .inNamespace(NS)
            .withName("newsletter-oauth-code")
            .get()
            .getMetadata()
            .getResourceVersion();

    HttpResponse<String> replay = get("/oauth/callback?code=other-code&state=" + state);

    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(replay.body()).contains("replayed_state").doesNotContain("other-code");
    assertThat(
            client
                .secrets()
                .inNamespace(NS)
                .withName("newsletter-oauth-code")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  void anErrorWithAValidStateSpendsItAndAnswersTheDeniedPage() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");

    HttpResponse<String> response =
        get(
            "/oauth/callback?error=access_denied&state="
                + stateFor(cr, "a1", NOW.plusSeconds(900)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("access was denied for marketing/newsletter")
        .contains("cloudelements.io/restart-consent");
    assertThat(read("newsletter").getStatus().getAuthorization().getResult())
        .isEqualTo(AuthorizationStatus.Result.Denied);
    assertThat(client.secrets().inNamespace(NS).withName("newsletter-oauth-code").get()).isNull();
  }

  @Test
  void headChecksTheStateButWritesNothing() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    uri(
                        "/oauth/callback?code="
                            + CODE
                            + "&state="
                            + stateFor(cr, "a1", NOW.plusSeconds(900))))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(client.secrets().inNamespace(NS).withName("newsletter-oauth-code").get()).isNull();
    assertThat(read("newsletter").getStatus().getAuthorization().getUsedAt()).isNull();
  }

  @Test
  void everyBadCallbackAnswers4xxWritesNothingAndSpendsNothing() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");
    CampaignMonitorInstance other = awaitingConsent("billing", "b1");
    String valid = stateFor(cr, "a1", NOW.plusSeconds(900));
    StateSigner foreign = new StateSigner(StateSigner.newKey(random), random);
    String script = URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8);
    record Case(String name, String path, String method, int status, String tag) {}
    List<Case> cases =
        List.of(
            new Case("no state", "/oauth/callback?code=" + CODE, "GET", 400, "missing_state"),
            new Case(
                "forged state",
                "/oauth/callback?code="
                    + CODE
                    + "&state="
                    + foreign.issue(
                        NS, "newsletter", cr.getMetadata().getUid(), "a1", NOW.plusSeconds(900)),
                "GET",
                400,
                "invalid_state"),
            new Case(
                "tampered state",
                "/oauth/callback?code=" + CODE + "&state=" + valid.substring(1) + "A",
                "GET",
                400,
                "invalid_state"),
            new Case(
                "script as state",
                "/oauth/callback?code=" + CODE + "&state=" + script,
                "GET",
                400,
                "invalid_state"),
            new Case(
                "state for another resource",
                "/oauth/callback?code="
                    + CODE
                    + "&state="
                    + stateFor(other, "a1", NOW.plusSeconds(900)),
                "GET",
                409,
                "superseded_state"),
            new Case(
                "state for a deleted resource",
                "/oauth/callback?code="
                    + CODE
                    + "&state="
                    + signer.issue(
                        NS, "newsletter", "uid-of-a-deleted-one", "a1", NOW.plusSeconds(900)),
                "GET",
                404,
                "unknown_resource"),
            new Case(
                "expired state",
                "/oauth/callback?code="
                    + CODE
                    + "&state="
                    + stateFor(cr, "a1", NOW.minusSeconds(1)),
                "GET",
                410,
                "expired_state"),
            new Case(
                "state of an earlier attempt",
                "/oauth/callback?code="
                    + CODE
                    + "&state="
                    + stateFor(cr, "a0", NOW.plusSeconds(900)),
                "GET",
                409,
                "superseded_state"),
            new Case("missing code", "/oauth/callback?state=" + valid, "GET", 400, "missing_code"),
            new Case(
                "code with a script",
                "/oauth/callback?state=" + valid + "&code=" + script,
                "GET",
                400,
                "invalid_code"),
            new Case(
                "repeated code",
                "/oauth/callback?state=" + valid + "&code=a&code=b",
                "GET",
                400,
                "repeated_parameter"),
            new Case(
                "code that is not UTF-8",
                "/oauth/callback?state=" + valid + "&code=%C0%AF",
                "GET",
                400,
                "invalid_code"),
            new Case(
                "state with an encoded newline",
                "/oauth/callback?code=" + CODE + "&state=" + valid + "%0A",
                "GET",
                400,
                "invalid_state"),
            new Case(
                "POST",
                "/oauth/callback?code=" + CODE + "&state=" + valid,
                "POST",
                405,
                "method_not_allowed"),
            new Case(
                "DELETE",
                "/oauth/callback?code=" + CODE + "&state=" + valid,
                "DELETE",
                405,
                "method_not_allowed"),
            new Case(
                "other path",
                "/oauth/callbackx?code=" + CODE + "&state=" + valid,
                "GET",
                404,
                "not_found"),
            new Case("metrics path", "/metrics", "GET", 404, "not_found"),
            new Case(
                "query over 4 KiB",
                "/oauth/callback?code=" + CODE + "&state=" + valid + "&pad=" + "x".repeat(4096),
                "GET",
                414,
                "query_too_large"));
    for (Case c : cases) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri(c.path()))
                  .method(c.method(), HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(c.name()).isEqualTo(c.status());
      assertThat(response.headers().firstValue("Content-Type"))
          .as(c.name())
          .hasValue("text/plain; charset=utf-8");
      assertThat(response.body())
          .as(c.name())
          .contains(c.tag())
          .doesNotContain("<script")
          .doesNotContain(CODE)
          .doesNotContain(valid);
    }
    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(read("newsletter").getStatus().getAuthorization().getUsedAt()).isNull();
    assertThat(read("billing").getStatus().getAuthorization().getUsedAt()).isNull();
    assertThat(count("invalid_state")).isEqualTo(4.0);
    assertThat(get("/oauth/callback?code=" + CODE + "&state=" + valid).statusCode())
        .as("the state is still usable after every bad callback")
        .isEqualTo(200);
  }

  @Test
  void oversizedHeadersAreRefused() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/oauth/callback"))
                .header("X-Padding", "y".repeat(9000))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(count("headers_too_large")).isEqualTo(1.0);
  }

  @Test
  void aCodeSecretThatAnotherOwnerHoldsIsNotOverwritten() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("newsletter-oauth-code")
                .endMetadata()
                .withData(java.util.Map.of("code", "b3RoZXI="))
                .build())
        .create();

    HttpResponse<String> response =
        get("/oauth/callback?code=" + CODE + "&state=" + stateFor(cr, "a1", NOW.plusSeconds(900)));

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(
            client
                .secrets()
                .inNamespace(NS)
                .withName("newsletter-oauth-code")
                .get()
                .getData()
                .get("code"))
        .isEqualTo("b3RoZXI=");
    assertThat(read("newsletter").getStatus().getAuthorization().getUsedAt()).isNull();
  }

  @Test
  void twoReplicasReceivingTheSameStateSpendItOnce() throws Exception {
    CampaignMonitorInstance cr = awaitingConsent("newsletter", "a1");
    String state = stateFor(cr, "a1", NOW.plusSeconds(900));
    List<ConsentCallback> replicas =
        List.of(
            new ConsentCallback(kubernetes.newClient(), signer, clock),
            new ConsentCallback(kubernetes.newClient(), signer, clock));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<ConsentCallback.Answer>> calls = new ArrayList<>();
      replicas.forEach(r -> calls.add(() -> r.handle(state, CODE, null, false)));
      List<CallbackResult> results = new ArrayList<>();
      for (Future<ConsentCallback.Answer> f : pool.invokeAll(calls)) {
        results.add(f.get().result());
      }
      assertThat(results)
          .containsExactlyInAnyOrder(CallbackResult.APPROVED, CallbackResult.REPLAYED_STATE);
    } finally {
      pool.shutdownNow();
    }
  }

  private CampaignMonitorInstance awaitingConsent(String name, String attempt) {
    CampaignMonitorInstance cr = new CampaignMonitorInstance();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    CampaignMonitorInstanceSpec spec = new CampaignMonitorInstanceSpec();
    spec.setCredentialsRef(new LocalSecretReference("account"));
    OAuthSpec oauth = new OAuthSpec();
    oauth.setCallbackUrl("https://operator.example.com/oauth/callback");
    oauth.setConsumerKeyRef(new SecretKeyReference("app", "key"));
    oauth.setConsumerSecretRef(new SecretKeyReference("app", "secret"));
    spec.setOauth(oauth);
    cr.setSpec(spec);
    CampaignMonitorInstance created =
        client.resources(CampaignMonitorInstance.class).inNamespace(NS).resource(cr).create();
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    AuthorizationStatus authorization = new AuthorizationStatus();
    authorization.setAttempt(attempt);
    authorization.setUrl("https://consent.example.com/?state=x");
    authorization.setExpiresAt(NOW.plusSeconds(900).toString());
    status.setAuthorization(authorization);
    created.setStatus(status);
    return client
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NS)
        .resource(created)
        .updateStatus();
  }

  private String stateFor(CampaignMonitorInstance cr, String attempt, Instant expiresAt) {
    return signer.issue(
        NS, cr.getMetadata().getName(), cr.getMetadata().getUid(), attempt, expiresAt);
  }

  private CampaignMonitorInstance read(String name) {
    return client.resources(CampaignMonitorInstance.class).inNamespace(NS).withName(name).get();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private double count(String result) {
    return registry.get("oauth.callbacks").tag("result", result).counter().count();
  }
}
