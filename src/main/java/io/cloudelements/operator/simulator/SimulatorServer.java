package io.cloudelements.operator.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: receives each request, records it, applies the fault plan, lets the {@link
 * ApiRoutes} answer, and sends the answer or drops the connection without one.
 */
final class SimulatorServer {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
  private static final int THREADS = 128;

  static {
    // The JDK server writes the response headers and the body in two writes; with Nagle's algorithm
    // on, the body
    // then waits for the client's delayed ACK (~40 ms per request on Linux). The server reads this
    // property once,
    // when the first HttpServer of the JVM is created; an explicit setting by the user wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final FaultPlan faults;
  private final RequestLog log;
  private final RequestBodies bodies;
  private final JsonAnswers answers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile ApiRoutes routes;
  private volatile boolean closed;

  /**
   * Binds the port at once (so that {@link #port()} is known); serves nothing before {@link
   * #start}.
   */
  SimulatorServer(
      InetAddress bindAddress,
      int port,
      FaultPlan faults,
      RequestLog log,
      RequestBodies bodies,
      JsonAnswers answers)
      throws IOException {
    this.faults = faults;
    this.log = log;
    this.bodies = bodies;
    this.answers = answers;
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "ce-simulator-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 256);
    this.server.setExecutor(executor);
  }

  void start(ApiRoutes apiRoutes) {
    this.routes = apiRoutes;
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /**
   * Stops at once; a held or hanging request is interrupted and its connection closed without an
   * answer.
   */
  boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    return true;
  }

  private void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    try {
      handleExchange(exchange);
    } finally {
      inFlight.decrementAndGet();
      // Idempotent. Also covers an Error thrown anywhere above: without a response it drops the
      // connection, so a
      // client never waits for an answer that will not come.
      exchange.close();
    }
  }

  private void handleExchange(HttpExchange exchange) {
    String requestId = UUID.randomUUID().toString();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    rawPath = rawPath == null ? "" : rawPath;
    String basePath = CloudElementsSimulator.BASE_PATH;
    boolean underBase = rawPath.equals(basePath) || rawPath.startsWith(basePath + "/");
    String path = underBase ? rawPath.substring(basePath.length()) : rawPath;
    if (path.isEmpty()) {
      path = "/";
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    LogEntry entry = log.record(requestId, method, path, QueryStrings.mask(rawQuery));
    try {
      byte[] body = readBodyIfAny(exchange, method);
      entry.tags = bodies.tagsOf(rawQuery, body);
      sleep(faults.latency());
      boolean dropAfterProcessing = false;
      Hold holdAfterProcessing = null;
      Fault fault = faults.takeFault(method, path, entry.tags);
      if (fault != null) {
        switch (fault.kind()) {
          case STATUS -> {
            send(
                exchange,
                entry,
                answers.error(
                    requestId,
                    fault.statusCode(),
                    "Simulated failure (HTTP " + fault.statusCode() + ")"));
            return;
          }
          case RATE_LIMITED -> {
            send(
                exchange,
                entry,
                answers
                    .error(requestId, 429, "Too many requests")
                    .header("Retry-After", Integer.toString(fault.retryAfterSeconds())));
            return;
          }
          case DELAY -> sleep(fault.delay());
          case RESET_BEFORE_PROCESSING -> {
            drop(exchange, entry, "reset before processing");
            return;
          }
          case DROP_AFTER_PROCESSING -> dropAfterProcessing = true;
          case HOLD_BEFORE_PROCESSING -> {
            if (fault.hold().await() == Hold.Decision.DROP) {
              drop(exchange, entry, "held before processing, then dropped");
              return;
            }
          }
          case HOLD_AFTER_PROCESSING -> holdAfterProcessing = fault.hold();
        }
      }
      if (!path.startsWith("/simulator/") && applyRandomFault(exchange, entry)) {
        return;
      }
      Response response;
      try {
        response =
            routes.dispatch(
                new SimulatorRequest(
                    method, path, underBase, rawQuery, exchange.getRequestHeaders(), body));
      } catch (ApiException e) {
        response = answers.error(requestId, e.status, e.getMessage());
        e.headers.forEach(response::header);
      }
      if (holdAfterProcessing != null && holdAfterProcessing.await() == Hold.Decision.DROP) {
        drop(
            exchange,
            entry,
            "held after processing, then dropped (would have answered " + response.status + ")");
        return;
      }
      if (dropAfterProcessing) {
        drop(
            exchange,
            entry,
            "dropped after processing (would have answered " + response.status + ")");
        return;
      }
      send(exchange, entry, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drop(exchange, entry, "interrupted (simulator closing)");
    } catch (IOException e) {
      LOG.debug(
          "Simulator: could not answer {} {} (Elements-Request-Id {}): {}",
          method,
          path,
          requestId,
          e.toString());
    } catch (RuntimeException e) {
      LOG.warn(
          "Simulator: internal error on {} {} (Elements-Request-Id {})",
          method,
          path,
          requestId,
          e);
      try {
        send(exchange, entry, answers.error(requestId, 500, "Internal simulator error"));
      } catch (IOException | RuntimeException ignored) {
        // the client is gone, or the headers were already sent
      }
    }
  }

  /**
   * True when the random fault mix answered (or dropped) the request; a "timeout" hangs, then lets
   * it go on.
   */
  private boolean applyRandomFault(HttpExchange exchange, LogEntry entry)
      throws IOException, InterruptedException {
    FaultPlan.RandomFault random = faults.rollRandomFault();
    if (random == null) {
      return false;
    }
    String requestId = entry.requestId;
    switch (random) {
      case HTTP_500 ->
          send(
              exchange,
              entry,
              answers.error(requestId, 500, "Simulated random failure (HTTP 500)"));
      case HTTP_503 ->
          send(
              exchange,
              entry,
              answers.error(requestId, 503, "Simulated random failure (HTTP 503)"));
      case HTTP_429 ->
          send(
              exchange,
              entry,
              answers.error(requestId, 429, "Too many requests").header("Retry-After", "1"));
      case RESET -> drop(exchange, entry, "random reset");
      case TIMEOUT -> {
        sleep(faults.randomTimeout());
        return false;
      }
    }
    return true;
  }

  /**
   * The body of a request that may have one (read once, up to one byte over the limit), else null.
   */
  private static byte[] readBodyIfAny(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
      return null;
    }
    try (InputStream in = exchange.getRequestBody()) {
      return in.readNBytes(RequestBodies.MAX_BODY_BYTES + 1);
    }
  }

  private static void send(HttpExchange exchange, LogEntry entry, Response response)
      throws IOException {
    entry.status = response.status;
    var headers = exchange.getResponseHeaders();
    headers.set("Elements-Request-Id", entry.requestId);
    response.headers.forEach(headers::set);
    byte[] body = response.body;
    if (body == null || body.length == 0 || entry.method.equals("HEAD")) {
      exchange.sendResponseHeaders(response.status, -1);
    } else {
      exchange.sendResponseHeaders(response.status, body.length);
      exchange.getResponseBody().write(body);
    }
    LOG.debug(
        "Simulator: {} {}{} -> {} (Elements-Request-Id {})",
        entry.method,
        entry.path,
        entry.query == null ? "" : "?" + entry.query,
        response.status,
        entry.requestId);
  }

  /**
   * Closes the connection without a single byte of response. The JDK server closes the socket
   * itself when an exchange is closed before {@code sendResponseHeaders} and before the response
   * stream was requested, so the client reads end-of-stream (or a reset) where the status line
   * should be, and reports an I/O error.
   */
  private static void drop(HttpExchange exchange, LogEntry entry, String why) {
    entry.status = 0;
    exchange.close();
    LOG.debug(
        "Simulator: {} {} -> connection closed without answer: {} (Elements-Request-Id {})",
        entry.method,
        entry.path,
        why,
        entry.requestId);
  }

  private static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis());
    }
  }
}
