package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.HttpCloudElementsClient;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.testing.Canaries;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The life of an instance after creation: edits, drift, pause, re-authorization, adoption and
 * deletion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {

  private static OperatorStack harness;

  @BeforeAll
  static void start() {
    harness = OperatorStack.builder().start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** Creates the Secrets and returns the resource. */
  private static String basic(String name, String prefix, String extra) {
    harness.basicSecrets(prefix);
    return InstanceYaml.basic(name, prefix, extra);
  }

  /** Creates the Secrets and returns the resource. */
  private static String oauth(String name, String prefix) {
    harness.oauthSecrets(prefix, harness.canary("code"));
    return InstanceYaml.oauth(name, prefix, "");
  }

  private static long calls(String method, String path) {
    return harness.simulator().count(method, path);
  }

  /**
   * The DELETEs of the instance number {@code expected} and stay so for a while after the resource
   * is gone: cleanup runs again when removing the finalizer fails (the mock API server deletes the
   * object at once), and such a repeat would send its DELETE within that while.
   */
  private static void assertDeletes(long id, long expected) {
    await()
        .during(Duration.ofMillis(2_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> calls("DELETE", "/instances/" + id), n -> n == expected);
  }

  private static List<RecordedRequest> callsSince(int index) {
    List<RecordedRequest> all = harness.simulator().requests();
    return all.subList(index, all.size());
  }

  private static String token(Secret secret) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  private static void setAnnotation(String name, String key, String value) {
    harness.edit(
        name,
        cr -> {
          Map<String, String> annotations =
              new HashMap<>(
                  cr.getMetadata().getAnnotations() == null
                      ? Map.of()
                      : cr.getMetadata().getAnnotations());
          if (value == null) {
            annotations.remove(key);
          } else {
            annotations.put(key, value);
          }
          cr.getMetadata().setAnnotations(annotations);
          return cr;
        });
  }

  /** The story a reader can follow: create, edit, drift, remote loss, pause, resume, delete. */
  @Test
  @Order(1)
  void story() throws Exception {
    // 1. Create a basic-auth instance with events on.
    harness.apply(
        basic(
            "story",
            "story",
            """
          tags: [newsletter]
          events:
            enabled: true
            callbackUrl: https://hooks.example.com/v1
            listIds: [list-a]
        """));
    CampaignMonitorInstance cr = harness.awaitReason("story", "Available");
    long id = cr.getStatus().getInstanceId();
    assertThat(cr.getMetadata().getFinalizers()).contains("cloudelements.io/finalizer");
    assertThat(harness.secret("story-account").orElseThrow().getMetadata().getFinalizers())
        .contains("cloudelements.io/in-use");

    // 2. Edit tags and events: one PATCH with just those parts, no POST.
    long posts = calls("POST", "/instances");
    harness.edit(
        "story",
        r -> {
          r.getSpec().setTags(List.of("newsletter", "weekly"));
          r.getSpec().getEvents().setListIds(List.of("list-a", "list-b"));
          return r;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> harness.simulator().instance(id).orElseThrow().tags().contains("weekly"));
    SimulatedInstance remote = harness.simulator().instance(id).orElseThrow();
    assertThat(remote.tags()).containsExactly("newsletter", "weekly", OwnershipTag.of(cr));
    assertThat(remote.configuration()).containsEntry("events.list.ids", "list-a,list-b");
    assertThat(calls("PATCH", "/instances/" + id)).isEqualTo(1);
    assertThat(calls("POST", "/instances")).isEqualTo(posts);
    await().until(() -> harness.eventReasons("story").contains("Updated"));

    // 3. Someone deletes the output Secret: the next resync writes it again from the remote answer.
    harness.client().secrets().inNamespace(harness.namespace()).withName("story-instance").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> harness.secret("story-instance").isPresent());
    assertThat(token(harness.secret("story-instance").orElseThrow())).isEqualTo(remote.token());
    await().until(() -> harness.eventReasons("story").contains("SecretRestored"));

    // 4. Someone deletes the instance in Cloud Elements: basic auth lets the operator create it
    // again.
    harness.simulator().deleteRemotely(id);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Long now = harness.get("story").getStatus().getInstanceId();
              return now != null
                  && now != id
                  && "Available"
                      .equals(
                          harness
                              .get("story")
                              .getStatus()
                              .condition("Ready")
                              .orElseThrow()
                              .getReason());
            });
    long recreated = harness.get("story").getStatus().getInstanceId();
    assertThat(harness.eventReasons("story")).contains("Recreated");
    await()
        .until(
            () ->
                token(harness.secret("story-instance").orElseThrow())
                    .equals(harness.simulator().instance(recreated).orElseThrow().token()));

    // 5. Pause: no call at all, not even the resync GET.
    setAnnotation("story", "cloudelements.io/paused", "true");
    CampaignMonitorInstance paused = harness.awaitReason("story", "Paused");
    assertThat(paused.getStatus().condition("Reconciling").orElseThrow().isTrue()).isFalse();
    assertThat(paused.getStatus().condition("Stalled").orElseThrow().isTrue()).isFalse();
    int mark = harness.simulator().requests().size();
    harness.edit(
        "story",
        r -> {
          r.getSpec().setInstanceName("Renamed while paused");
          return r;
        });
    Thread.sleep(harness.config().resyncInterval().multipliedBy(2).toMillis());
    assertThat(callsSince(mark)).noneMatch(r -> r.path().startsWith("/instances/" + recreated));

    // 6. Resume: the rename made while paused is applied.
    setAnnotation("story", "cloudelements.io/paused", null);
    harness.awaitReason("story", "Available");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                harness
                    .simulator()
                    .instance(recreated)
                    .orElseThrow()
                    .name()
                    .equals("Renamed while paused"));

    // 7. Delete: the remote instance goes, then the finalizers, then the credentials' in-use
    // finalizer.
    harness.delete("story");
    harness.awaitGone("story");
    assertThat(harness.simulator().instance(recreated)).isEmpty();
    assertDeletes(recreated, 1);
    await()
        .until(
            () ->
                harness.secret("story-account").orElseThrow().getMetadata().getFinalizers() == null
                    || !harness
                        .secret("story-account")
                        .orElseThrow()
                        .getMetadata()
                        .getFinalizers()
                        .contains("cloudelements.io/in-use"));
    assertThat(harness.eventReasons("story"))
        .contains("Created", "Updated", "SecretRestored", "Recreated", "Paused", "Deleted");
  }

  @Test
  @Order(2)
  void orphanKeepsTheRemoteInstanceAndTheSecret() {
    harness.apply(basic("orphan", "orphan", "  deletionPolicy: Orphan\n"));
    long id = harness.awaitReason("orphan", "Available").getStatus().getInstanceId();

    harness.delete("orphan");
    harness.awaitGone("orphan");

    assertThat(harness.simulator().instance(id)).isPresent();
    assertThat(calls("DELETE", "/instances/" + id)).isZero();
    Secret kept = harness.secret("orphan-instance").orElseThrow();
    assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(token(kept)).isEqualTo(harness.simulator().instance(id).orElseThrow().token());
    assertThat(harness.eventReasons("orphan")).contains("Orphaned");
  }

  @Test
  @Order(3)
  void adoptsAnExistingInstanceByIdWithoutPosting() {
    var client =
        new HttpCloudElementsClient(
            URI.create(harness.simulator().baseUrl()), Duration.ofSeconds(5));
    long id =
        client
            .create(
                new AccountCredentials(Canaries.USER_SECRET, Canaries.ORG_SECRET),
                new DesiredInstance(
                    "made by hand",
                    List.of("legacy"),
                    "x",
                    new DesiredInstance.Basic("k1k1k1"),
                    null))
            .id();
    long posts = calls("POST", "/instances");

    harness.apply(basic("adopt", "adopt", "  instanceId: " + id + "\n  tags: [legacy]\n"));
    CampaignMonitorInstance cr = harness.awaitReason("adopt", "Available");

    assertThat(cr.getStatus().getInstanceId()).isEqualTo(id);
    assertThat(calls("POST", "/instances")).isEqualTo(posts);
    assertThat(harness.simulator().instance(id).orElseThrow().tags())
        .contains("legacy", OwnershipTag.of(cr));
    assertThat(token(harness.secret("adopt-instance").orElseThrow()))
        .isEqualTo(harness.simulator().instance(id).orElseThrow().token());
    assertThat(harness.eventReasons("adopt")).contains("Adopted").doesNotContain("Created");
  }

  @Test
  @Order(4)
  void adoptingAnInstanceThatDoesNotExistStalls() {
    long posts = calls("POST", "/instances");

    harness.apply(basic("ghost", "ghost", "  instanceId: 987654\n"));

    CampaignMonitorInstance cr = harness.awaitReason("ghost", "InstanceNotFound");

    assertThat(cr.getStatus().condition("Stalled").orElseThrow().isTrue()).isTrue();
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage()).contains("987654");
    assertThat(calls("POST", "/instances")).isEqualTo(posts);
  }

  @Test
  @Order(5)
  void aNewAuthorizationCodeReauthorizesAndKeepsTheId() {
    harness.apply(oauth("reauth", "reauth"));
    CampaignMonitorInstance cr = harness.awaitReason("reauth", "Available");
    long id = cr.getStatus().getInstanceId();
    String oldToken = token(harness.secret("reauth-instance").orElseThrow());

    harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName("reauth-grant")
        .edit(
            s -> {
              s.setStringData(Map.of("code", harness.canary("new-code")));
              return s;
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> harness.eventReasons("reauth").contains("Reauthorized"));
    await().until(() -> !token(harness.secret("reauth-instance").orElseThrow()).equals(oldToken));
    assertThat(harness.get("reauth").getStatus().getInstanceId()).isEqualTo(id);
    assertThat(token(harness.secret("reauth-instance").orElseThrow()))
        .isEqualTo(harness.simulator().instance(id).orElseThrow().token());
    assertThat(calls("PUT", "/instances/" + id)).isEqualTo(1);
  }

  @Test
  @Order(6)
  void anOauthInstanceDeletedRemotelyNeedsANewCode() {
    harness.apply(oauth("lost-oauth", "lost-oauth"));
    long id = harness.awaitReason("lost-oauth", "Available").getStatus().getInstanceId();

    harness.simulator().deleteRemotely(id);
    CampaignMonitorInstance stalled = harness.awaitReason("lost-oauth", "AuthorizationRequired");
    assertThat(stalled.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("deleted in Cloud Elements", "lost-oauth-grant");

    harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName("lost-oauth-grant")
        .edit(
            s -> {
              s.setStringData(Map.of("code", harness.canary("code-2")));
              return s;
            });
    CampaignMonitorInstance ready = harness.awaitReason("lost-oauth", "Available");
    assertThat(ready.getStatus().getInstanceId()).isNotEqualTo(id);
    assertThat(harness.eventReasons("lost-oauth")).contains("Recreated");
  }

  @Test
  @Order(7)
  void anInstanceMarkedInvalidRemotelyIsReported() {
    harness.apply(basic("invalid", "invalid", ""));
    long id = harness.awaitReason("invalid", "Available").getStatus().getInstanceId();

    harness.simulator().markInvalid(id);

    CampaignMonitorInstance cr = harness.awaitReason("invalid", "InstanceInvalid");
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains(Long.toString(id));
  }

  @Test
  @Order(8)
  void namespaceStyleDeletionDeletesRemotelyAndLeavesNothingStuck() {
    harness.apply(basic("ns-a", "ns", ""));
    long id = harness.awaitReason("ns-a", "Available").getStatus().getInstanceId();

    harness.client().secrets().inNamespace(harness.namespace()).withName("ns-account").delete();
    harness.delete("ns-a");

    harness.awaitGone("ns-a");
    assertThat(harness.simulator().instance(id)).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("ns-account").isEmpty());
  }

  @Test
  @Order(9)
  void missingCredentialsDuringDeletionStallUntilReleasedByAnnotation() {
    harness.apply(basic("wedged", "wedged", ""));
    long id = harness.awaitReason("wedged", "Available").getStatus().getInstanceId();
    harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName("wedged-account")
        .edit(
            s -> {
              s.getMetadata().setFinalizers(List.of());
              return s;
            });
    harness.client().secrets().inNamespace(harness.namespace()).withName("wedged-account").delete();
    await().until(() -> harness.secret("wedged-account").isEmpty());

    harness.delete("wedged");
    CampaignMonitorInstance stuck = harness.awaitReason("wedged", "CredentialsMissing");
    assertThat(stuck.getStatus().condition("Stalled").orElseThrow().isTrue()).isTrue();
    assertThat(stuck.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("wedged-account", "cloudelements.io/skip-remote-delete");

    setAnnotation("wedged", "cloudelements.io/skip-remote-delete", "true");
    harness.awaitGone("wedged");
    assertThat(harness.simulator().instance(id)).isPresent();
  }

  @Test
  @Order(10)
  void deletionRetriesThroughUpstreamFailures() {
    harness.apply(basic("retry-delete", "retry-delete", ""));
    long id = harness.awaitReason("retry-delete", "Available").getStatus().getInstanceId();
    harness.simulator().inject(Fault.status(503).on("DELETE", "/instances/" + id).times(2));

    harness.delete("retry-delete");
    harness.awaitReason("retry-delete", "Deleting");

    harness.awaitGone("retry-delete");
    assertThat(harness.simulator().instance(id)).isEmpty();
    assertDeletes(id, 3);
  }

  @Test
  @Order(11)
  void aPausedResourceIsNotDeletedRemotelyUntilResumed() throws Exception {
    harness.apply(basic("frozen", "frozen", ""));
    long id = harness.awaitReason("frozen", "Available").getStatus().getInstanceId();
    setAnnotation("frozen", "cloudelements.io/paused", "true");
    harness.awaitReason("frozen", "Paused");

    harness.delete("frozen");
    Thread.sleep(1_000);
    assertThat(harness.get("frozen")).isNotNull();
    assertThat(calls("DELETE", "/instances/" + id)).isZero();

    setAnnotation("frozen", "cloudelements.io/paused", null);
    harness.awaitGone("frozen");
    assertThat(harness.simulator().instance(id)).isEmpty();
    assertDeletes(id, 1);
  }

  @Test
  @Order(100)
  void noSecretOrTokenShowsUpInLogsEventsOrStatus() {
    String visible = harness.everythingVisible();

    assertThat(visible).contains("Deleted instance");
    assertThat(harness.secretValues())
        .hasSizeGreaterThan(10)
        .allSatisfy(secret -> assertThat(visible).doesNotContain(secret));
  }
}
