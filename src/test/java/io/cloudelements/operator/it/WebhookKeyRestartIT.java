package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.simulator.EventDelivery;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import io.cloudelements.operator.webhook.WebhookReceiver;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A rotation request is handled once: an operator that starts afresh (no memory, only the stored
 * status) does not rotate the key again for the same annotation value.
 */
class WebhookKeyRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRestartedOperatorDoesNotRotateTheSameValueAgain() throws Exception {
    try (OperatorStack stack =
            OperatorStack.builder().namespace("restart").withoutOperator().start();
        WebhookReceiver receiver =
            WebhookReceiver.start(() -> key(stack).map(WebhookSignatureKey::of))) {
      Operator first = stack.newOperator();
      first.start();
      String rotated;
      try {
        rotated = createAndRotateOnce(stack, receiver);
      } finally {
        first.stop();
      }

      long id = stack.get("rot").getStatus().getInstanceId();
      long patches = stack.simulator().count("PATCH", "/instances/" + id);
      long reads = stack.simulator().count("GET", "/instances/" + id);
      Operator second = stack.newOperator();
      second.start();
      try {
        // The new operator reconciles the resource on start: it reads the instance back, and that
        // is all.
        await()
            .atMost(WAIT)
            .until(() -> stack.simulator().count("GET", "/instances/" + id) > reads);
        Thread.sleep(stack.config().resyncInterval().toMillis());

        assertThat(key(stack)).contains(rotated);
        assertThat(stack.simulator().count("PATCH", "/instances/" + id))
            .as("no second rotation")
            .isEqualTo(patches);
        assertThat(stack.eventReasons("rot").stream().filter("WebhookKeyRotated"::equals))
            .hasSize(1);
        EventDelivery delivery = stack.simulator().deliverTestEvent(id);
        assertThat(delivery.signed()).isTrue();
        assertThat(delivery.status())
            .as("verified with the key in the output Secret")
            .isEqualTo(204);
      } finally {
        second.stop();
      }
    }
  }

  /** Creates the resource with events on, then rotates its key once; returns the rotated key. */
  private static String createAndRotateOnce(OperatorStack stack, WebhookReceiver receiver) {
    stack.basicSecrets("rot");
    stack.apply(
        InstanceYaml.basic(
            "rot",
            "rot",
            "events:\n    enabled: true\n    callbackUrl: \"" + receiver.url() + "\"\n"));
    String created = awaitNewKey(stack, null);
    stack.edit(
        "rot",
        cr -> {
          Map<String, String> annotations =
              new HashMap<>(
                  Optional.ofNullable(cr.getMetadata().getAnnotations()).orElse(Map.of()));
          annotations.put(WebhookKeyPlanner.ROTATE_ANNOTATION, "once");
          cr.getMetadata().setAnnotations(annotations);
          return cr;
        });
    String rotated = awaitNewKey(stack, created);
    await()
        .atMost(WAIT)
        .until(() -> "once".equals(stack.get("rot").getStatus().getWebhookKeyRotation()));
    return rotated;
  }

  private static Optional<String> key(OperatorStack stack) {
    return stack.secret("rot-instance").flatMap(InstanceSecret::signatureKey);
  }

  private static String awaitNewKey(OperatorStack stack, String previous) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Optional<String> key = key(stack);
              CampaignMonitorInstance cr = stack.get("rot");
              return key.isPresent()
                  && !key.get().equals(previous)
                  && cr.getStatus() != null
                  && Fingerprints.of(key.get())
                      .equals(cr.getStatus().getWebhookSignatureKeyFingerprint());
            });
    String key = key(stack).orElseThrow();
    stack.remember(key);
    return key;
  }
}
