package io.cloudelements.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP server on the JDK's {@link HttpServer}:
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 when the operator is live, else 503 with the reason;
 *   <li>{@code GET /readyz}: 200 when the operator is ready, else 503 with the reason;
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format 0.0.4.
 * </ul>
 *
 * Any other path is 404, any other method 405. It serves on two daemon threads, so that a slow
 * scrape does not hold up a probe and the server never keeps the JVM alive.
 */
public final class ManagementServer implements AutoCloseable {

  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<Check> liveness;
  private final Supplier<Check> readiness;
  private final PrometheusMeterRegistry registry;
  private final Runnable beforeScrape;

  private ManagementServer(
      HttpServer server,
      ExecutorService executor,
      Supplier<Check> liveness,
      Supplier<Check> readiness,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape) {
    this.server = server;
    this.executor = executor;
    this.liveness = liveness;
    this.readiness = readiness;
    this.registry = registry;
    this.beforeScrape = beforeScrape;
  }

  /**
   * Binds and starts the server.
   *
   * @param bindAddress null for every interface
   * @param port 0 for a free port
   * @param beforeScrape runs before each scrape, e.g. to refresh gauges computed at scrape time
   */
  public static ManagementServer start(
      InetAddress bindAddress,
      int port,
      Supplier<Check> liveness,
      Supplier<Check> readiness,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot listen on management port " + port + ": " + e.getMessage(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "management-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ManagementServer management =
        new ManagementServer(server, executor, liveness, readiness, registry, beforeScrape);
    server.createContext("/", management::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Management server on port {}: /healthz, /readyz, /metrics", management.port());
    return management;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT, "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> probe(exchange, liveness.get());
        case "/readyz" -> probe(exchange, readiness.get());
        case "/metrics" -> metrics(exchange);
        default -> send(exchange, 404, TEXT, "not found; try /healthz, /readyz or /metrics\n");
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Management request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
      try {
        send(exchange, 500, TEXT, "internal error\n");
      } catch (IOException | RuntimeException ignored) {
        // the headers were already sent
      }
    }
  }

  private static void probe(HttpExchange exchange, Check check) throws IOException {
    send(exchange, check.ok() ? 200 : 503, TEXT, check.reason() + "\n");
  }

  private void metrics(HttpExchange exchange) throws IOException {
    beforeScrape.run();
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    registry.scrape(body);
    send(exchange, 200, METRICS_CONTENT_TYPE, body.toByteArray());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Stops accepting requests, lets a running one finish for up to a second, and ends the threads.
   */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
