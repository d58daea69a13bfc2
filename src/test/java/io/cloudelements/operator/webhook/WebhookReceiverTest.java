package io.cloudelements.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  private static final byte[] BODY =
      "{\"message\": {\"eventId\": 1, \"events\": []}}".getBytes(StandardCharsets.UTF_8);
  private final HttpClient http = HttpClient.newHttpClient();

  private int post(String url, byte[] body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header(WebhookSignature.ID_HEADER, "delivery-1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header(WebhookSignature.SIGNATURE_HEADER, signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void acceptsSignedDeliveriesAndRefusesTamperedOnesWithTheKeyCurrentAtThatMoment()
      throws Exception {
    WebhookSignatureKey first = WebhookSignatureKey.generate(new SecureRandom());
    WebhookSignatureKey second = WebhookSignatureKey.generate(new SecureRandom());
    AtomicReference<WebhookSignatureKey> current = new AtomicReference<>(first);
    try (WebhookReceiver receiver =
        WebhookReceiver.start(() -> Optional.ofNullable(current.get()))) {
      assertThat(receiver.url()).startsWith("http://127.0.0.1:").endsWith("/events");

      assertThat(post(receiver.url(), BODY, WebhookSignature.sign(first, BODY))).isEqualTo(204);
      byte[] tampered =
          new String(BODY, StandardCharsets.UTF_8)
              .replace("1", "2")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(post(receiver.url(), tampered, WebhookSignature.sign(first, BODY))).isEqualTo(401);
      assertThat(post(receiver.url(), BODY, null)).isEqualTo(401);
      current.set(second);
      assertThat(post(receiver.url(), BODY, WebhookSignature.sign(first, BODY)))
          .as("old key after rotation")
          .isEqualTo(401);
      assertThat(post(receiver.url(), BODY, WebhookSignature.sign(second, BODY))).isEqualTo(204);
      current.set(null);
      assertThat(post(receiver.url(), BODY, WebhookSignature.sign(second, BODY)))
          .as("no key")
          .isEqualTo(401);

      assertThat(receiver.deliveries())
          .extracting(WebhookReceiver.Delivery::valid)
          .containsExactly(true, false, false, false, true, false);
      WebhookReceiver.Delivery delivery =
          receiver.awaitDelivery(0, Duration.ofSeconds(1)).orElseThrow();
      assertThat(delivery.rawBody()).isEqualTo(BODY);
      assertThat(delivery.webhookId()).isEqualTo("delivery-1");
      assertThat(receiver.awaitDelivery(6, Duration.ofMillis(50))).isEmpty();
    }
  }
}
