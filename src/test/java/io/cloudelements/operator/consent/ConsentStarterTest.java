package io.cloudelements.operator.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.AuthorizationStatus;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.ConsentRequest;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.InstancePatch;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConsentStarterTest {

  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private static final AccountCredentials ACCOUNT = new AccountCredentials("u", "o");
  private static final DesiredInstance.OAuth OAUTH =
      new DesiredInstance.OAuth(
          "https://operator.example.com/oauth/callback",
          "consumer-key",
          "consumer-secret-42",
          null);

  private final SecureRandom random = new SecureRandom();
  private final StateSigner signer = new StateSigner(StateSigner.newKey(random), random);
  private final ConsentUrls urls =
      new ConsentUrls(r -> "https://consent.example.com/?state=" + r.state());
  private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void aResourceWithoutConsentGetsANewOneWithASignedStateBoundToIt() {
    CampaignMonitorInstance cr = resource(Map.of(), 1L);
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();

    ConsentDecision decision = starter().decide(cr, status, ACCOUNT, OAUTH);

    assertThat(decision).isInstanceOf(ConsentDecision.Started.class);
    AuthorizationStatus published = status.getAuthorization();
    assertThat(published.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)).toString());
    assertThat(published.getGeneration()).isEqualTo(1L);
    assertThat(published.getUsedAt()).isNull();
    ConsentRequest sent = urls.requests.get(0);
    assertThat(sent.callbackUrl()).isEqualTo(OAUTH.callbackUrl());
    assertThat(published.getUrl()).endsWith(sent.state());
    ConsentState state = signer.verify(sent.state()).orElseThrow();
    assertThat(state.resource()).isEqualTo("marketing/newsletter");
    assertThat(state.uid()).isEqualTo("uid-1");
    assertThat(state.attempt()).isEqualTo(published.getAttempt());
  }

  @Test
  void anOpenConsentIsKeptWithItsUrlWithoutAnotherCall() {
    CampaignMonitorInstance cr = resource(Map.of(), 1L);
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    starter().decide(cr, status, ACCOUNT, OAUTH);
    String url = status.getAuthorization().getUrl();
    clock = Clock.fixed(NOW.plus(Duration.ofMinutes(14)), ZoneOffset.UTC);

    ConsentDecision decision = starter().decide(cr, status, ACCOUNT, OAUTH);

    assertThat(decision).isInstanceOf(ConsentDecision.Pending.class);
    assertThat(((ConsentDecision.Pending) decision).expiresIn()).isEqualTo(Duration.ofMinutes(1));
    assertThat(status.getAuthorization().getUrl()).isEqualTo(url);
    assertThat(urls.requests).hasSize(1);
  }

  @Test
  void anExpiredConsentIsStartedAgainWithAFreshStateAndAttempt() {
    CampaignMonitorInstance cr = resource(Map.of(), 1L);
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    starter().decide(cr, status, ACCOUNT, OAUTH);
    String attempt = status.getAuthorization().getAttempt();
    clock = Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC);

    assertThat(starter().decide(cr, status, ACCOUNT, OAUTH))
        .isInstanceOf(ConsentDecision.Started.class);
    assertThat(status.getAuthorization().getAttempt()).isNotEqualTo(attempt);
    assertThat(urls.requests.get(1).state()).isNotEqualTo(urls.requests.get(0).state());
  }

  @Test
  void aDeniedConsentStaysDeniedUntilANewRestartValueOrASpecChange() {
    CampaignMonitorInstance cr = resource(Map.of(ConsentStarter.RESTART_ANNOTATION, "1"), 1L);
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    starter().decide(cr, status, ACCOUNT, OAUTH);
    status.getAuthorization().setUsedAt(NOW.toString());
    status.getAuthorization().setResult(AuthorizationStatus.Result.Denied);

    assertThat(starter().decide(cr, status, ACCOUNT, OAUTH))
        .isInstanceOf(ConsentDecision.Denied.class);
    assertThat(
            starter()
                .decide(
                    resource(Map.of(ConsentStarter.RESTART_ANNOTATION, "2"), 1L),
                    status,
                    ACCOUNT,
                    OAUTH))
        .isInstanceOf(ConsentDecision.Started.class);
    assertThat(status.getRestartConsentHandled()).isEqualTo("2");

    status.getAuthorization().setResult(AuthorizationStatus.Result.Denied);
    assertThat(
            starter()
                .decide(
                    resource(Map.of(ConsentStarter.RESTART_ANNOTATION, "2"), 1L),
                    status,
                    ACCOUNT,
                    OAUTH))
        .as("the same value again starts nothing")
        .isInstanceOf(ConsentDecision.Denied.class);
    assertThat(
            starter()
                .decide(
                    resource(Map.of(ConsentStarter.RESTART_ANNOTATION, "2"), 2L),
                    status,
                    ACCOUNT,
                    OAUTH))
        .as("a spec change starts one")
        .isInstanceOf(ConsentDecision.Started.class);
  }

  @Test
  void anApprovedConsentIsWaitedForUntilItsCodeIsSeenAndReplacedWhenThatCodeIsUsedUp() {
    CampaignMonitorInstance cr = resource(Map.of(), 1L);
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    starter().decide(cr, status, ACCOUNT, OAUTH);
    status.getAuthorization().setUsedAt(NOW.toString());
    status.getAuthorization().setResult(AuthorizationStatus.Result.Approved);
    status.getAuthorization().setCodeFingerprint("sha256:0123456789ab");
    status.setConsumedCodeFingerprint("sha256:ba9876543210");

    assertThat(starter().decide(cr, status, ACCOUNT, OAUTH))
        .isInstanceOf(ConsentDecision.Approved.class);
    assertThat(urls.requests).hasSize(1);
    status.setConsumedCodeFingerprint("sha256:0123456789ab");
    assertThat(starter().decide(cr, status, ACCOUNT, OAUTH))
        .isInstanceOf(ConsentDecision.Started.class);
    assertThat(status.getAuthorization().getUsedAt()).isNull();
  }

  @Test
  void aUrlHoldingTheConsumerSecretIsNotPublished() {
    for (Function<ConsentRequest, String> leaky :
        List.<Function<ConsentRequest, String>>of(
            r -> "https://consent.example.com/?secret=" + r.consumerSecret(),
            r ->
                "https://consent.example.com/?secret="
                    + URLEncoder.encode(r.consumerSecret() + " ", StandardCharsets.UTF_8),
            r -> "https://consent.example.com/?s=consumer%2Dsecret%2D42")) {
      CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
      ConsentStarter starter =
          new ConsentStarter(new ConsentUrls(leaky), signer, clock, Duration.ofMinutes(15));

      assertThat(starter.decide(resource(Map.of(), 1L), status, ACCOUNT, OAUTH))
          .isInstanceOf(ConsentDecision.SecretInUrl.class);
      assertThat(status.getAuthorization()).isNull();
    }
  }

  private ConsentStarter starter() {
    return new ConsentStarter(urls, signer, clock, Duration.ofMinutes(15));
  }

  private static CampaignMonitorInstance resource(
      Map<String, String> annotations, long generation) {
    CampaignMonitorInstance cr = new CampaignMonitorInstance();
    cr.setMetadata(
        new ObjectMetaBuilder()
            .withName("newsletter")
            .withNamespace("marketing")
            .withUid("uid-1")
            .withGeneration(generation)
            .withAnnotations(annotations)
            .build());
    return cr;
  }

  /** Answers consent URLs only; records each request. */
  private static final class ConsentUrls implements CloudElementsClient {
    private final Function<ConsentRequest, String> answer;
    private final List<ConsentRequest> requests = new ArrayList<>();

    ConsentUrls(Function<ConsentRequest, String> answer) {
      this.answer = answer;
    }

    @Override
    public String consentUrl(AccountCredentials account, ConsentRequest request) {
      requests.add(request);
      return answer.apply(request);
    }

    @Override
    public RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
      throw new AssertionError("not expected");
    }

    @Override
    public List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
      throw new AssertionError("not expected");
    }

    @Override
    public RemoteInstance get(AccountCredentials account, long id) {
      throw new AssertionError("not expected");
    }

    @Override
    public RemoteInstance update(AccountCredentials account, long id, InstancePatch patch) {
      throw new AssertionError("not expected");
    }

    @Override
    public RemoteInstance reauthorize(
        AccountCredentials account, long id, DesiredInstance desired) {
      throw new AssertionError("not expected");
    }

    @Override
    public boolean delete(AccountCredentials account, long id) {
      throw new AssertionError("not expected");
    }
  }
}
