package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.testing.Canaries;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Creation through real HTTP: the operator, the embedded Kubernetes API and the Cloud Elements
 * simulator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CreationIT {

  private static OperatorStack harness;

  @BeforeAll
  static void start() {
    harness = OperatorStack.builder().start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String canary(String what) {
    return harness.canary(what);
  }

  private static String oauthResource(String name, String prefix) {
    return InstanceYaml.oauth(
        name,
        prefix,
        """
          instanceName: API Instance
          tags: [Docs]
          events:
            enabled: true
            callbackUrl: https://hooks.example.com/campaign-monitor
            listIds: [a1b2c3, d4e5f6]
        """);
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static long posts() {
    return harness.simulator().count("POST", "/instances");
  }

  private static List<SimulatedInstance> instancesOwnedBy(CampaignMonitorInstance cr) {
    return harness.simulator().instances().stream()
        .filter(i -> i.tags().contains(OwnershipTag.of(cr)))
        .toList();
  }

  @Test
  @Order(1)
  void oauthResourceBecomesReadyWithItsSecretAndStatus() {
    harness.oauthSecrets("news", canary("code"));

    harness.apply(oauthResource("newsletter", "news"));
    CampaignMonitorInstance cr = harness.awaitReason("newsletter", "Available");

    List<SimulatedInstance> owned = instancesOwnedBy(cr);
    assertThat(owned).hasSize(1);
    SimulatedInstance remote = owned.get(0);
    assertThat(remote.name()).isEqualTo("API Instance");
    assertThat(remote.tags()).containsExactly("Docs", OwnershipTag.of(cr));
    assertThat(remote.configuration())
        .containsEntry("event.notification.enabled", true)
        .containsEntry("events.list.ids", "a1b2c3,d4e5f6")
        .containsEntry("oauth.callback.url", "https://app.example.com/oauth/callback");

    Secret secret = harness.secret("newsletter-instance").orElseThrow();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(decoded(secret, "id")).isEqualTo(Long.toString(remote.id()));
    assertThat(decoded(secret, "token")).isEqualTo(remote.token());
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "campaign-monitor-operator");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(cr.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
              assertThat(ref.getKind()).isEqualTo("CampaignMonitorInstance");
            });

    assertThat(cr.getStatus().getInstanceId()).isEqualTo(remote.id());
    assertThat(cr.getStatus().getSecretName()).isEqualTo("newsletter-instance");
    assertThat(cr.getStatus().getTokenFingerprint())
        .isEqualTo(Fingerprints.of(remote.token()))
        .matches("sha256:[0-9a-f]{12}");
    assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(cr.getMetadata().getGeneration());
    assertThat(cr.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getObservedGeneration)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "True", cr.getMetadata().getGeneration()),
            org.assertj.core.groups.Tuple.tuple(
                "Reconciling", "False", cr.getMetadata().getGeneration()),
            org.assertj.core.groups.Tuple.tuple(
                "Stalled", "False", cr.getMetadata().getGeneration()));
    assertThat(harness.eventReasons("newsletter")).contains("Created");
  }

  @Test
  @Order(2)
  void missingSecretWaitsThenProceedsWhenTheSecretIsCreated() {
    harness.credentials("late-account");

    harness.apply(InstanceYaml.basic("late", "late", ""));
    CampaignMonitorInstance waiting = harness.awaitReason("late", "WaitingForSecret");

    assertThat(waiting.getStatus().condition("Ready").orElseThrow().getMessage())
        .isEqualTo("Secret late-key (key apiKey) does not exist");
    assertThat(waiting.getStatus().condition("Reconciling").orElseThrow().isTrue()).isTrue();
    assertThat(instancesOwnedBy(waiting)).isEmpty();

    harness.createSecret("late-key", Map.of("apiKey", canary("apikey")));

    CampaignMonitorInstance ready = harness.awaitReason("late", "Available");
    assertThat(instancesOwnedBy(ready)).hasSize(1);
  }

  @Test
  @Order(3)
  void rejectedCredentialsStallWithoutHammering() throws Exception {
    harness.createSecret(
        "bad-account",
        Map.of("userSecret", canary("wrong-user"), "organizationSecret", canary("wrong-org")));
    harness.createSecret("bad-key", Map.of("apiKey", canary("apikey")));

    harness.apply(InstanceYaml.basic("rejected", "bad", ""));
    CampaignMonitorInstance cr = harness.awaitReason("rejected", "CredentialsRejected");
    long afterStall = rejectedRequests();
    Thread.sleep(10_000);

    assertThat(cr.getStatus().condition("Stalled").orElseThrow().isTrue()).isTrue();
    assertThat(cr.getStatus().condition("Reconciling").orElseThrow().isTrue()).isFalse();
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("answered 401");
    assertThat(afterStall).isEqualTo(1);
    assertThat(rejectedRequests() - afterStall).isLessThanOrEqualTo(1);
  }

  /** Only the resource with wrong credentials gets 401 answers. */
  private static long rejectedRequests() {
    return harness.simulator().requests().stream().filter(r -> r.status() == 401).count();
  }

  @Test
  @Order(4)
  void upstreamUnavailableThreeTimesThenReady() {
    harness.credentials("flaky-account");
    harness.createSecret("flaky-key", Map.of("apiKey", canary("apikey")));
    harness.simulator().inject(Fault.status(503).on("POST", "/instances").times(3));

    harness.apply(InstanceYaml.basic("flaky", "flaky", ""));
    CampaignMonitorInstance cr = harness.awaitReason("flaky", "Available");

    assertThat(instancesOwnedBy(cr)).hasSize(1);
    assertThat(cr.getMetadata().getFinalizers()).contains("cloudelements.io/finalizer");
    assertThat(cr.getMetadata().getAnnotations())
        .as("the intent of the first POST, kept through the retries")
        .containsKey("cloudelements.io/create-pending");
    assertThat(harness.eventReasons("flaky")).contains("UpstreamUnavailable", "Created");
  }

  @Test
  @Order(5)
  void anUnownedSecretWithTheTargetNameIsLeftUntouched() {
    harness.credentials("taken-account");
    harness.createSecret("taken-key", Map.of("apiKey", canary("apikey")));
    harness.createSecret("someone-elses", Map.of("token", "theirs"));
    long postsBefore = posts();

    harness.apply(InstanceYaml.basic("taken", "taken", "  secretName: someone-elses\n"));
    CampaignMonitorInstance cr = harness.awaitReason("taken", "SecretConflict");

    assertThat(cr.getStatus().condition("Stalled").orElseThrow().isTrue()).isTrue();
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("someone-elses");
    Secret untouched = harness.secret("someone-elses").orElseThrow();
    assertThat(untouched.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(untouched.getStringData()).isEqualTo(Map.of("token", "theirs"));
    // The Secret is created just before the resource: the first reconcile (no longer delayed by a
    // finalizer reconcile of its own) can run before the operator's Secret informer has seen it,
    // POST,
    // and then meet the Secret on its create. The instance it made carries the ownership tag, so
    // the
    // resource adopts it once the conflict is resolved; it is never posted twice.
    assertThat(posts() - postsBefore).isLessThanOrEqualTo(1);
    assertThat(instancesOwnedBy(cr)).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  @Order(6)
  void aPostWhoseAnswerWasLostIsAdoptedByTagNotRepeated() {
    harness.credentials("lost-account");
    harness.createSecret("lost-key", Map.of("apiKey", canary("apikey")));
    harness.simulator().inject(Fault.dropAfterProcessing().on("POST", "/instances"));
    long postsBefore = posts();

    harness.apply(InstanceYaml.basic("lost", "lost", ""));
    CampaignMonitorInstance cr = harness.awaitReason("lost", "Available");

    assertThat(instancesOwnedBy(cr))
        .singleElement()
        .satisfies(i -> assertThat(cr.getStatus().getInstanceId()).isEqualTo(i.id()));
    assertThat(posts() - postsBefore).isEqualTo(1);
    assertThat(harness.eventReasons("lost")).contains("Adopted");
  }

  @Test
  @Order(7)
  void twoInstancesWithTheOwnershipTagStallAsDuplicates() {
    harness.credentials("dup-account");
    harness.apply(InstanceYaml.basic("dup", "dup", ""));
    CampaignMonitorInstance waiting = harness.awaitReason("dup", "WaitingForSecret");
    var client =
        new HttpCloudElementsClient(
            URI.create(harness.simulator().baseUrl()), Duration.ofSeconds(5));
    var account = new AccountCredentials(Canaries.USER_SECRET, Canaries.ORG_SECRET);
    var desired =
        new DesiredInstance(
            "dup", List.of(), OwnershipTag.of(waiting), new DesiredInstance.Basic("k1k1"), null);
    long first = client.create(account, desired).id();
    long second = client.create(account, desired).id();
    // As left by an earlier process that crashed after its POST: the intent makes the next create
    // look first.
    harness
        .client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(harness.namespace())
        .withName("dup")
        .edit(
            c -> {
              var annotations =
                  new java.util.HashMap<>(
                      java.util.Objects.requireNonNullElse(
                          c.getMetadata().getAnnotations(), Map.<String, String>of()));
              annotations.put("cloudelements.io/create-pending", "2026-01-05T09:00:00Z");
              c.getMetadata().setAnnotations(annotations);
              return c;
            });
    long postsBefore = posts();

    harness.createSecret("dup-key", Map.of("apiKey", canary("apikey")));
    CampaignMonitorInstance cr = harness.awaitReason("dup", "DuplicateInstances");

    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains(first + ", " + second);
    assertThat(cr.getStatus().condition("Stalled").orElseThrow().isTrue()).isTrue();
    assertThat(posts()).isEqualTo(postsBefore);
  }

  @Test
  @Order(8)
  void aReusedCodeIsReportedAndNotPostedAgainUntilANewCodeArrives() {
    String code = canary("used-code");
    harness.oauthSecrets("reuse", code);
    harness.simulator().inject(Fault.status(400).on("POST", "/instances"));
    long postsBefore = posts();

    harness.apply(oauthResource("reuse", "reuse"));
    harness.awaitReason("reuse", "RequestRejected");
    harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName("reuse-app")
        .edit(
            s -> {
              s.setStringData(
                  Map.of("consumerKey", canary("ck2"), "consumerSecret", canary("cs2")));
              return s;
            });
    CampaignMonitorInstance stalled = harness.awaitReason("reuse", "AuthorizationRequired");

    assertThat(stalled.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("reuse-grant", "code", "single-use");
    assertThat(posts() - postsBefore).isEqualTo(1);

    harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName("reuse-grant")
        .edit(
            s -> {
              s.setStringData(Map.of("code", canary("fresh-code")));
              return s;
            });
    CampaignMonitorInstance ready = harness.awaitReason("reuse", "Available");
    assertThat(instancesOwnedBy(ready)).hasSize(1);
    assertThat(posts() - postsBefore).isEqualTo(2);
  }

  @Test
  @Order(9)
  void aStableResourceCostsOneGetPerResyncAndNoWrites() throws Exception {
    CampaignMonitorInstance before = harness.get("newsletter");
    String path = "/instances/" + before.getStatus().getInstanceId();
    long gets = harness.simulator().count("GET", path);
    long writes = writes();
    String secretVersion =
        harness.secret("newsletter-instance").orElseThrow().getMetadata().getResourceVersion();

    Thread.sleep(harness.config().resyncInterval().multipliedBy(3).plusMillis(500).toMillis());

    assertThat(harness.get("newsletter").getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(
            harness.secret("newsletter-instance").orElseThrow().getMetadata().getResourceVersion())
        .isEqualTo(secretVersion);
    assertThat(harness.simulator().count("GET", path) - gets).isBetween(3L, 4L);
    assertThat(writes()).isEqualTo(writes);
  }

  private static long writes() {
    return harness.simulator().requests().stream().filter(r -> !r.method().equals("GET")).count();
  }

  @Test
  @Order(100)
  void noSecretOrTokenShowsUpInLogsEventsOrStatus() {
    List<String> secrets = harness.secretValues();
    String visible = harness.everythingVisible();

    assertThat(visible).isNotBlank().contains("Created instance");
    assertThat(secrets)
        .hasSizeGreaterThan(10)
        .allSatisfy(secret -> assertThat(visible).doesNotContain(secret));
  }
}
