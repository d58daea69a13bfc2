package io.cloudelements.operator.cli;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.embedded.EmbeddedStack;
import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.simulator.EventDelivery;
import io.cloudelements.operator.webhook.WebhookReceiver;
import io.cloudelements.operator.webhook.WebhookSignature;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo's signed-event step: the simulator delivers a signed subscriber event to a small
 * receiver in this process, which verifies it with the key it reads from the output Secret; then a
 * tampered copy is refused.
 */
final class SignedEventStep {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedStack stack;
  private final KubernetesClient client;
  private final PrintStream out;

  SignedEventStep(EmbeddedStack stack, KubernetesClient client, PrintStream out) {
    this.stack = stack;
    this.client = client;
    this.out = out;
  }

  String title(String resource) {
    return "A signed event: Cloud Elements calls a receiver in this process, which checks the signature of "
        + resource;
  }

  void run(String resource, String namespace) throws IOException, InterruptedException {
    String secretName = resource + "-instance";
    try (WebhookReceiver receiver = WebhookReceiver.start(() -> key(namespace, secretName))) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      String key =
          Optional.ofNullable(secret)
              .flatMap(InstanceSecret::signatureKey)
              .orElseThrow(
                  () ->
                      new DemoCommand.StepFailed(
                          "Secret " + secretName + " holds no webhookSignatureKey"));
      CampaignMonitorInstance cr =
          client
              .resources(CampaignMonitorInstance.class)
              .inNamespace(namespace)
              .withName(resource)
              .get();
      out.printf(
          "  secret/%s  webhookSignatureKey: %s (%d characters, %s; status shows %s)%n",
          secretName,
          "*".repeat(12),
          key.length(),
          Fingerprints.of(key),
          cr.getStatus().getWebhookSignatureKeyFingerprint());

      // The embedded API server does not apply the CRD's https:// rule, so the demo can point the
      // events at a
      // plain-HTTP receiver on 127.0.0.1; in a cluster the callback URL must be https. The previous
      // step's status
      // write must land first: the embedded server could otherwise replace the edited spec with the
      // old one.
      DemoWaits.waitFor(resource + " to be settled", () -> settled(namespace, resource));
      long id = cr.getStatus().getInstanceId();
      DemoWaits.waitFor(
          "the instance's callback URL to be " + receiver.url(),
          () -> {
            pointEventsAt(namespace, resource, receiver.url());
            return stack
                .simulator()
                .instance(id)
                .map(
                    i ->
                        receiver
                            .url()
                            .equals(i.configuration().get("event.notification.callback.url")))
                .orElse(false);
          });
      out.printf(
          "  events of %s now go to %s (PATCHed by the operator)%n", resource, receiver.url());

      EventDelivery delivery = stack.simulator().deliverTestEvent(id);
      WebhookReceiver.Delivery received =
          receiver
              .awaitDelivery(0, TIMEOUT)
              .orElseThrow(
                  () -> new DemoCommand.StepFailed("the receiver got no delivery: " + delivery));
      out.printf(
          "  Cloud Elements POSTed %d bytes, Elements-Webhook-Id %s, %s %s%n",
          received.rawBody().length,
          received.webhookId(),
          WebhookSignature.SIGNATURE_HEADER,
          abbreviated(received.signature()));
      out.printf("  receiver: %s (answered %d)%n", verdict(received.valid()), delivery.status());
      if (!received.valid()) {
        throw new DemoCommand.StepFailed("the genuine delivery did not verify");
      }

      byte[] tampered =
          new String(received.rawBody(), StandardCharsets.UTF_8)
              .replace("Subscribe", "Unsubscribe")
              .getBytes(StandardCharsets.UTF_8);
      int status = post(receiver.url(), tampered, received.signature());
      WebhookReceiver.Delivery forged =
          receiver
              .awaitDelivery(1, TIMEOUT)
              .orElseThrow(() -> new DemoCommand.StepFailed("the receiver got no tampered copy"));
      out.printf(
          "  tampered copy (Subscribe -> Unsubscribe, same signature): receiver: %s (answered %d)%n",
          verdict(forged.valid()), status);
      if (forged.valid()) {
        throw new DemoCommand.StepFailed("the tampered copy verified");
      }
    }
  }

  private boolean settled(String namespace, String resource) {
    CampaignMonitorInstance cr =
        client
            .resources(CampaignMonitorInstance.class)
            .inNamespace(namespace)
            .withName(resource)
            .get();
    return cr != null
        && cr.getStatus() != null
        && Objects.equals(cr.getStatus().getObservedGeneration(), cr.getMetadata().getGeneration());
  }

  /** Sets the callback URL unless the spec already has it. */
  private void pointEventsAt(String namespace, String resource, String url) {
    CampaignMonitorInstance cr =
        client
            .resources(CampaignMonitorInstance.class)
            .inNamespace(namespace)
            .withName(resource)
            .get();
    if (!url.equals(cr.getSpec().getEvents().getCallbackUrl())) {
      client
          .resources(CampaignMonitorInstance.class)
          .inNamespace(namespace)
          .withName(resource)
          .edit(
              c -> {
                c.getSpec().getEvents().setCallbackUrl(url);
                return c;
              });
    }
  }

  private Optional<WebhookSignatureKey> key(String namespace, String secretName) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(secretName).get())
        .flatMap(InstanceSecret::signatureKey)
        .map(WebhookSignatureKey::of);
  }

  private static String verdict(boolean valid) {
    return valid ? "signature valid" : "signature invalid";
  }

  /** A signature is not a secret, but a short form reads better. */
  private static String abbreviated(String signature) {
    return signature == null
        ? "(none)"
        : signature.substring(0, Math.min(signature.length(), 19)) + "...";
  }

  private static int post(String url, byte[] body, String signature)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header(WebhookSignature.SIGNATURE_HEADER, signature)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
