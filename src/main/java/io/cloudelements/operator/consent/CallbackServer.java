package io.cloudelements.operator.consent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth callback endpoint {@value #PATH}, on a port of its own (never the management port),
 * plain HTTP behind the user's TLS Ingress. It serves GET and HEAD only, refuses a query over
 * {@value #MAX_QUERY_BYTES} bytes or headers over {@value #MAX_HEADER_BYTES} bytes, and counts
 * every answer in {@code oauth_callbacks_total{result}}. The decision is {@link ConsentCallback}'s.
 */
public final class CallbackServer implements AutoCloseable {

  public static final String PATH = "/oauth/callback";
  public static final String METRIC = "oauth.callbacks";
  static final int MAX_QUERY_BYTES = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  private static final Set<String> PARAMETERS = Set.of("state", "code", "error");
  private static final Logger LOG = LoggerFactory.getLogger(CallbackServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConsentCallback callback;
  private final Map<CallbackResult, Counter> counters = new EnumMap<>(CallbackResult.class);

  private CallbackServer(
      HttpServer server,
      ExecutorService executor,
      ConsentCallback callback,
      MeterRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.callback = callback;
    for (CallbackResult result : CallbackResult.values()) {
      if (registry != null) {
        counters.put(
            result,
            Counter.builder(METRIC)
                .description("Answers of the OAuth callback endpoint")
                .tag("result", result.tag())
                .register(registry));
      }
    }
  }

  /**
   * Binds and starts the server on two daemon threads.
   *
   * @param bindAddress null for every interface
   * @param port 0 for a free port
   * @param registry where {@code oauth_callbacks_total} goes; null for none
   */
  public static CallbackServer start(
      InetAddress bindAddress, int port, ConsentCallback callback, MeterRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot listen on OAuth callback port " + port + ": " + e.getMessage(), e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "oauth-callback-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    CallbackServer callbackServer = new CallbackServer(server, executor, callback, registry);
    server.createContext("/", callbackServer::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("OAuth callback endpoint on port {}: {}", callbackServer.port(), PATH);
    return callbackServer;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      CallbackResult result;
      String resource = null;
      String method = exchange.getRequestMethod();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        result = CallbackResult.METHOD_NOT_ALLOWED;
      } else if (headerBytes(exchange) > MAX_HEADER_BYTES) {
        result = CallbackResult.HEADERS_TOO_LARGE;
      } else if (!PATH.equals(exchange.getRequestURI().getRawPath())) {
        result = CallbackResult.NOT_FOUND;
      } else if (rawQuery != null && rawQuery.length() > MAX_QUERY_BYTES) {
        result = CallbackResult.QUERY_TOO_LARGE;
      } else {
        Map<String, String> query = new HashMap<>();
        result = parse(rawQuery, query);
        if (result == null) {
          ConsentCallback.Answer answer =
              callback.handle(
                  query.get("state"), query.get("code"), query.get("error"), method.equals("HEAD"));
          result = answer.result();
          resource = answer.resource();
        }
      }
      count(result);
      send(exchange, result, resource);
    } catch (IOException | RuntimeException e) {
      LOG.warn("OAuth callback failed: {}", e.getClass().getSimpleName());
      count(CallbackResult.FAILED);
      try {
        send(exchange, CallbackResult.FAILED, null);
      } catch (IOException | RuntimeException ignored) {
        // the headers were already sent
      }
    }
  }

  /**
   * Fills {@code into} with state, code and error; a result when the query is unusable, else null.
   */
  private static CallbackResult parse(String rawQuery, Map<String, String> into) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return CallbackResult.MALFORMED_QUERY;
      }
      if (PARAMETERS.contains(name) && into.putIfAbsent(name, value) != null) {
        return CallbackResult.REPEATED_PARAMETER;
      }
    }
    return null;
  }

  private static long headerBytes(HttpExchange exchange) {
    long total = 0;
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        total += header.getKey().length() + value.length() + 4;
      }
    }
    return total;
  }

  private void count(CallbackResult result) {
    Counter counter = counters.get(result);
    if (counter != null) {
      counter.increment();
    }
  }

  private static void send(HttpExchange exchange, CallbackResult result, String resource)
      throws IOException {
    String body;
    String type;
    if (result == CallbackResult.APPROVED) {
      body = CallbackPages.approved(resource);
      type = "text/html; charset=utf-8";
    } else if (result == CallbackResult.DENIED) {
      body = CallbackPages.denied(resource);
      type = "text/html; charset=utf-8";
    } else if (result == CallbackResult.CHECKED) {
      body = "";
      type = "text/plain; charset=utf-8";
    } else {
      body = CallbackPages.problem(result);
      type = "text/plain; charset=utf-8";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Content-Security-Policy", "default-src 'none'");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(result.status(), head || bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
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
