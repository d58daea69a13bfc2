package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.WebhookSigning;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.docs.EventsDocSnippets;
import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.reliability.LeakScanner;
import io.cloudelements.operator.simulator.EventDelivery;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import io.cloudelements.operator.webhook.WebhookReceiver;
import io.cloudelements.operator.webhook.WebhookSignature;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed event webhooks (issue 11), end to end: each case ends with a real delivery from the
 * simulator to a receiver that verifies it with the key it reads from the output Secret at that
 * moment.
 *
 * <p>The callback URLs are {@code http://127.0.0.1:<port>/events}: the simulator only delivers to
 * loopback, and the receiver speaks plain HTTP. The CRD asks for {@code https://}; the mock API
 * server of these tests does not apply the CRD schema (CrdValidationTest covers it), so the test
 * resources can point at the local receiver.
 */
class SignedWebhooksIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static OperatorStack harness;

  @TempDir static Path work;

  @BeforeAll
  static void start() {
    harness = OperatorStack.builder().namespace("signed").start();
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static WebhookReceiver receiverFor(String name) throws Exception {
    return WebhookReceiver.start(() -> outputKey(name).map(WebhookSignatureKey::of));
  }

  private static String events(WebhookReceiver receiver, String... more) {
    StringBuilder lines =
        new StringBuilder(
            "events:\n    enabled: true\n    callbackUrl: \"" + receiver.url() + "\"\n");
    for (String line : more) {
      lines.append("    ").append(line).append('\n');
    }
    return lines.toString();
  }

  private static CampaignMonitorInstance applyBasic(String name, String extra) {
    harness.basicSecrets(name);
    return harness.apply(InstanceYaml.basic(name, name, extra));
  }

  private static Optional<String> outputKey(String name) {
    return harness.secret(name + "-instance").flatMap(InstanceSecret::signatureKey);
  }

  private static long instanceId(String name) {
    return harness.get(name).getStatus().getInstanceId();
  }

  /** The key Cloud Elements (the simulator) signs with now; "" or absent when unsigned. */
  private static Optional<String> remoteKey(String name) {
    return harness
        .simulator()
        .instance(instanceId(name))
        .map(i -> i.configuration().get("event.notification.signature.key"))
        .map(String::valueOf);
  }

  /**
   * Waits until the output Secret holds a key other than {@code previous}, that the status shows
   * and the instance signs with.
   */
  private static String awaitKeyInPlace(String name, String previous) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Optional<String> key = outputKey(name);
              CampaignMonitorInstance cr = harness.get(name);
              return key.isPresent()
                  && !key.get().equals(previous)
                  && cr.getStatus() != null
                  && Fingerprints.of(key.get())
                      .equals(cr.getStatus().getWebhookSignatureKeyFingerprint())
                  && "Available".equals(harness.reason(name))
                  && remoteKey(name).equals(key);
            });
    String key = outputKey(name).orElseThrow();
    harness.remember(key);
    return key;
  }

  /**
   * A real delivery from the simulator, which the receiver verified with the key in the output
   * Secret.
   */
  private static EventDelivery deliverAndVerify(String name, WebhookReceiver receiver, String key)
      throws Exception {
    int before = receiver.deliveries().size();
    EventDelivery delivery = harness.simulator().deliverTestEvent(instanceId(name));

    assertThat(delivery.signed()).as("signed delivery").isTrue();
    assertThat(delivery.status()).as("the receiver's answer (204: signature valid)").isEqualTo(204);
    WebhookReceiver.Delivery received = receiver.awaitDelivery(before, WAIT).orElseThrow();
    assertThat(received.valid()).isTrue();
    assertThat(received.rawBody()).isEqualTo(delivery.bodyBytes());
    assertThat(received.webhookId()).isEqualTo(delivery.webhookId()).isNotBlank();
    assertThat(
            WebhookSignature.verify(
                WebhookSignatureKey.of(key), delivery.bodyBytes(), delivery.signature()))
        .isTrue();
    return delivery;
  }

  private static void annotate(String name, String key, String value) {
    harness.edit(
        name,
        cr -> {
          Map<String, String> annotations =
              new HashMap<>(
                  cr.getMetadata().getAnnotations() == null
                      ? Map.of()
                      : cr.getMetadata().getAnnotations());
          annotations.put(key, value);
          cr.getMetadata().setAnnotations(annotations);
          return cr;
        });
  }

  private static long eventCount(String name, String reason) {
    return harness.eventReasons(name).stream().filter(reason::equals).count();
  }

  // ------------------------------------------------------------------ the cases

  @Test
  void aGeneratedKeyIsSentOnCreateAndHandedOutInTheOutputSecret() throws Exception {
    try (WebhookReceiver receiver = receiverFor("gen")) {
      long posts = harness.simulator().count("POST", "/instances");
      applyBasic("gen", events(receiver));

      String key = awaitKeyInPlace("gen", null);

      assertThat(key).hasSize(43).matches("[A-Za-z0-9_-]{43}");
      assertThat(harness.secret("gen-instance").orElseThrow().getData())
          .containsOnlyKeys("id", "token", "webhookSignatureKey");
      assertThat(harness.simulator().count("POST", "/instances"))
          .as("one POST")
          .isEqualTo(posts + 1);
      assertThat(harness.simulator().count("PATCH", "/instances/" + instanceId("gen")))
          .as("the key went with the POST, no PATCH")
          .isZero();
      assertThat(harness.get("gen").getStatus().getWebhookSignatureKeyFingerprint())
          .isEqualTo(Fingerprints.of(key));
      EventDelivery delivery = deliverAndVerify("gen", receiver, key);

      // The snippets of docs/events.md, run against this real delivery.
      EventsDocSnippets.JavaVerifier snippet = EventsDocSnippets.compileJava(work);
      assertThat(snippet.verify(key, delivery.bodyBytes(), delivery.signature())).isTrue();
      assertThat(EventsDocSnippets.runShell(work, key, delivery.bodyBytes(), delivery.signature()))
          .isEqualTo("signature valid");
      byte[] tampered =
          delivery.body().replace("CREATED", "DELETED").getBytes(StandardCharsets.UTF_8);
      assertThat(snippet.verify(key, tampered, delivery.signature())).isFalse();
      assertThat(EventsDocSnippets.runShell(work, key, tampered, delivery.signature()))
          .isEqualTo("signature invalid");
    }
  }

  @Test
  void aUserKeyComesFromItsSecretAndTheRotationAnnotationIsIgnored() throws Exception {
    try (WebhookReceiver receiver = receiverFor("own")) {
      applyBasic("own", events(receiver, "signatureKeyRef: {name: own-hook, key: signatureKey}"));
      CampaignMonitorInstance waiting = harness.awaitReason("own", "WaitingForSecret");
      assertThat(harness.reason("own")).isEqualTo("WaitingForSecret");
      assertThat(waiting.getStatus().condition("Ready").orElseThrow().getMessage())
          .contains("own-hook");

      String userKey = harness.canary("signature-key");
      harness.createSecret("own-hook", Map.of("signatureKey", userKey));
      String key = awaitKeyInPlace("own", null);

      assertThat(key).isEqualTo(userKey);
      deliverAndVerify("own", receiver, key);

      annotate("own", WebhookKeyPlanner.ROTATE_ANNOTATION, "please");
      await()
          .atMost(WAIT)
          .until(() -> "please".equals(harness.get("own").getStatus().getWebhookKeyRotation()));
      assertThat(harness.events())
          .filteredOn(
              e ->
                  "own".equals(e.getInvolvedObject().getName())
                      && "WebhookKeyRotationIgnored".equals(e.getReason()))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("own-hook").doesNotContain(userKey);
              });
      assertThat(outputKey("own")).contains(userKey);
      assertThat(remoteKey("own")).contains(userKey);
      deliverAndVerify("own", receiver, userKey);
    }
  }

  @Test
  void aChangedUserKeyIsPatchedAtOnceAndCopiedToTheOutputSecret() throws Exception {
    try (WebhookReceiver receiver = receiverFor("swap")) {
      harness.createSecret("swap-hook", Map.of("signatureKey", harness.canary("signature-key")));
      applyBasic("swap", events(receiver, "signatureKeyRef: {name: swap-hook, key: signatureKey}"));
      String first = awaitKeyInPlace("swap", null);
      long patches = harness.simulator().count("PATCH", "/instances/" + instanceId("swap"));

      String second = harness.canary("signature-key");
      harness
          .client()
          .secrets()
          .inNamespace("signed")
          .withName("swap-hook")
          .edit(
              s -> {
                s.setData(null);
                s.setStringData(Map.of("signatureKey", second));
                return s;
              });
      String key = awaitKeyInPlace("swap", first);

      assertThat(key).isEqualTo(second);
      assertThat(harness.simulator().count("PATCH", "/instances/" + instanceId("swap")))
          .isEqualTo(patches + 1);
      assertThat(eventCount("swap", "WebhookKeyRotated")).isEqualTo(1);
      EventDelivery delivery = deliverAndVerify("swap", receiver, second);
      assertThat(
              WebhookSignature.verify(
                  WebhookSignatureKey.of(first), delivery.bodyBytes(), delivery.signature()))
          .as("the old key no longer verifies")
          .isFalse();
    }
  }

  @Test
  void eachNewAnnotationValueRotatesTheGeneratedKeyOnce() throws Exception {
    try (WebhookReceiver receiver = receiverFor("rot")) {
      harness.basicSecrets("rot");
      harness.apply(
          InstanceYaml.basic("rot", "rot", events(receiver))
              .replace(
                  "metadata:\n  name: rot\n",
                  "metadata:\n  name: rot\n  annotations: {"
                      + WebhookKeyPlanner.ROTATE_ANNOTATION
                      + ": v1}\n"));
      String first = awaitKeyInPlace("rot", null);
      assertThat(harness.get("rot").getStatus().getWebhookKeyRotation())
          .as("present at creation: recorded")
          .isEqualTo("v1");
      assertThat(eventCount("rot", "WebhookKeyRotated")).isZero();
      long patches = harness.simulator().count("PATCH", "/instances/" + instanceId("rot"));

      annotate("rot", WebhookKeyPlanner.ROTATE_ANNOTATION, "v2");
      String second = awaitKeyInPlace("rot", first);

      assertThat(harness.get("rot").getStatus().getWebhookKeyRotation()).isEqualTo("v2");
      assertThat(harness.simulator().count("PATCH", "/instances/" + instanceId("rot")))
          .isEqualTo(patches + 1);
      assertThat(eventCount("rot", "WebhookKeyRotated")).isEqualTo(1);
      EventDelivery delivery = deliverAndVerify("rot", receiver, second);
      assertThat(
              WebhookSignature.verify(
                  WebhookSignatureKey.of(first), delivery.bodyBytes(), delivery.signature()))
          .isFalse();

      // Another reconcile (an unrelated annotation) and a few resyncs: the handled value does not
      // rotate again.
      annotate("rot", "example.com/note", "touched");
      Thread.sleep(harness.config().resyncInterval().toMillis() * 2);
      assertThat(outputKey("rot")).contains(second);
      assertThat(eventCount("rot", "WebhookKeyRotated")).isEqualTo(1);
      deliverAndVerify("rot", receiver, second);
    }
  }

  @Test
  void aLostOutputSecretGetsANewKeyPatchedAndAnnounced() throws Exception {
    try (WebhookReceiver receiver = receiverFor("lost")) {
      applyBasic("lost", events(receiver));
      String first = awaitKeyInPlace("lost", null);

      harness.client().secrets().inNamespace("signed").withName("lost-instance").delete();
      String second = awaitKeyInPlace("lost", first);

      assertThat(second).isNotEqualTo(first).hasSize(43);
      await().atMost(WAIT).until(() -> eventCount("lost", "WebhookKeyRotated") == 1);
      assertThat(harness.eventReasons("lost")).contains("SecretRestored");
      deliverAndVerify("lost", receiver, second);
    }
  }

  @Test
  void signingDisabledOnALiveInstanceRemovesTheKeyEverywhere() throws Exception {
    try (WebhookReceiver receiver = receiverFor("off")) {
      applyBasic("off", events(receiver));
      String key = awaitKeyInPlace("off", null);
      deliverAndVerify("off", receiver, key);

      harness.edit(
          "off",
          cr -> {
            cr.getSpec().getEvents().setSigning(WebhookSigning.Disabled);
            return cr;
          });
      await()
          .atMost(WAIT)
          .until(
              () ->
                  outputKey("off").isEmpty()
                      && remoteKey("off").equals(Optional.of(""))
                      && harness.get("off").getStatus().getWebhookSignatureKeyFingerprint()
                          == null);

      assertThat(harness.secret("off-instance").orElseThrow().getData())
          .containsOnlyKeys("id", "token");
      EventDelivery unsigned = harness.simulator().deliverTestEvent(instanceId("off"));
      assertThat(unsigned.signed()).isFalse();
      assertThat(unsigned.status()).as("the receiver refuses an unsigned delivery").isEqualTo(401);
      assertThat(harness.reason("off")).isEqualTo("Available");
    }
  }

  @Test
  void signingDisabledFromTheStartSendsNoKey() throws Exception {
    try (WebhookReceiver receiver = receiverFor("plain")) {
      applyBasic("plain", events(receiver, "signing: Disabled"));
      harness.awaitReason("plain", "Available");

      assertThat(outputKey("plain")).isEmpty();
      assertThat(remoteKey("plain")).as("no key in the POST").isEmpty();
      assertThat(harness.get("plain").getStatus().getWebhookSignatureKeyFingerprint()).isNull();
      assertThat(harness.simulator().deliverTestEvent(instanceId("plain")).signed()).isFalse();
    }
  }

  @Test
  void turningEventsOffRemovesTheKeyAndOnAgainMakesANewOne() throws Exception {
    try (WebhookReceiver receiver = receiverFor("toggle")) {
      applyBasic("toggle", events(receiver));
      String first = awaitKeyInPlace("toggle", null);
      deliverAndVerify("toggle", receiver, first);

      harness.edit(
          "toggle",
          cr -> {
            cr.getSpec().getEvents().setEnabled(false);
            return cr;
          });
      await()
          .atMost(WAIT)
          .until(
              () ->
                  outputKey("toggle").isEmpty()
                      && remoteKey("toggle").equals(Optional.of(""))
                      && harness.get("toggle").getStatus().getWebhookSignatureKeyFingerprint()
                          == null);
      assertThatThrownBy(() -> harness.simulator().deliverTestEvent(instanceId("toggle")))
          .as("events are off: nothing to deliver")
          .isInstanceOf(IllegalArgumentException.class);

      harness.edit(
          "toggle",
          cr -> {
            cr.getSpec().getEvents().setEnabled(true);
            return cr;
          });
      String second = awaitKeyInPlace("toggle", first);

      assertThat(second).isNotEqualTo(first);
      assertThat(eventCount("toggle", "WebhookKeyRotated"))
          .as("a new key, not a rotation")
          .isZero();
      deliverAndVerify("toggle", receiver, second);
    }
  }

  /**
   * Scans what this class left behind (every case's keys are remembered), at least its own
   * resource.
   */
  @Test
  void noKeyLeaksIntoLogsEventsStatusOrTheRequestLog() throws Exception {
    try (WebhookReceiver receiver = receiverFor("leak")) {
      String userKey = harness.canary("signature-key");
      harness.createSecret("leak-hook", Map.of("signatureKey", userKey));
      applyBasic("leak", events(receiver, "signatureKeyRef: {name: leak-hook, key: signatureKey}"));
      applyBasic("leak-gen", events(receiver));
      awaitKeyInPlace("leak", null);
      String generated = awaitKeyInPlace("leak-gen", null);
      annotate("leak-gen", WebhookKeyPlanner.ROTATE_ANNOTATION, "now");
      String rotated = awaitKeyInPlace("leak-gen", generated);

      List<String> secrets = harness.secretValues();
      assertThat(secrets).contains(userKey, generated, rotated);
      LeakScanner.assertClean(harness.visible(), secrets);
    }
  }
}
