package io.cloudelements.operator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A minimal event callback receiver, as an application would write one: it reads the raw body,
 * verifies the signature with the key it finds at that moment (the output Secret), answers 204 or
 * 401, and keeps what it got. Listens on 127.0.0.1 only.
 */
public final class WebhookReceiver implements AutoCloseable {

  private static final int MAX_BODY_BYTES = 1 << 20;

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
          });
  private final Supplier<Optional<WebhookSignatureKey>> key;
  private final List<Delivery> deliveries = new ArrayList<>();

  /**
   * One delivery as received.
   *
   * @param rawBody the body bytes exactly as they arrived
   * @param signature the {@code Elements-Webhook-Signature} header, or null
   * @param webhookId the {@code Elements-Webhook-Id} header, or null
   * @param valid whether the signature verified with the key current at that moment
   */
  public record Delivery(byte[] rawBody, String signature, String webhookId, boolean valid) {
    @Override
    public String toString() {
      return "Delivery[webhookId="
          + webhookId
          + ", "
          + rawBody.length
          + " bytes, valid="
          + valid
          + "]";
    }
  }

  private WebhookReceiver(HttpServer server, Supplier<Optional<WebhookSignatureKey>> key) {
    this.server = server;
    this.key = key;
  }

  /**
   * Starts on a free port of 127.0.0.1; {@code key} is asked on every delivery, so a rotation takes
   * effect.
   */
  public static WebhookReceiver start(Supplier<Optional<WebhookSignatureKey>> key)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    WebhookReceiver receiver = new WebhookReceiver(server, key);
    server.createContext("/", receiver::handle);
    server.setExecutor(receiver.executor);
    server.start();
    return receiver;
  }

  /** Where to deliver: {@code http://127.0.0.1:<port>/events}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
  }

  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** The first delivery from index {@code from} on, waiting at most {@code timeout}. */
  public synchronized Optional<Delivery> awaitDelivery(int from, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (deliveries.size() <= from) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(left);
    }
    return Optional.of(deliveries.get(from));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES);
      }
      String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
      String id = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
      boolean valid = key.get().map(k -> WebhookSignature.verify(k, body, signature)).orElse(false);
      synchronized (this) {
        deliveries.add(new Delivery(body, signature, id, valid));
        notifyAll();
      }
      exchange.sendResponseHeaders(valid ? 204 : 401, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
