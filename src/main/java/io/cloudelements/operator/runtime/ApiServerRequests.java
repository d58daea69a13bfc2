package io.cloudelements.operator.runtime;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Times the operator's requests to the API server by verb, as its Kubernetes client sees them: from
 * the moment a request is handed to the HTTP client until its response headers arrive. Watches are
 * not timed (they stay open). Exposed as {@value #METRIC} (Prometheus: {@code
 * kubernetes_client_requests_seconds_count} and {@code _sum}).
 */
public final class ApiServerRequests implements Interceptor, MeterBinder {

  public static final String METRIC = "kubernetes.client.requests";
  public static final String NAME = "api-server-requests";
  public static final List<String> VERBS =
      List.of("get", "list", "create", "update", "patch", "delete");

  /**
   * A request whose answer never came (the client gave up) is forgotten once this many are pending.
   */
  private static final int MAX_PENDING = 10_000;

  /** Requests so far and their total time. */
  public record Totals(long count, long nanos) {}

  private final Map<HttpRequest, Long> started =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

  /**
   * The verb of a request as the API server's audit log names it: get, list, watch, create, update,
   * patch, delete.
   */
  public static String verb(String method, String path) {
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    String p = path == null ? "" : path;
    return switch (m) {
      case "GET" -> p.contains("watch=true") ? "watch" : isCollection(p) ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> m.toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A collection path ends in a plural resource name: /api/v1/namespaces/ns/secrets,
   * /apis/g/v/kinds.
   */
  private static boolean isCollection(String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String[] parts = bare.replaceAll("^/|/$", "").split("/");
    int base = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
    int rest = parts.length - base;
    if (rest >= 2 && parts[base].equals("namespaces")) {
      rest -= 2;
    }
    return rest == 1;
  }

  /** Called right before the request is sent (after the other interceptors changed it). */
  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    if (!"watch".equals(verb(request))) {
      if (started.size() >= MAX_PENDING) {
        started.clear();
      }
      started.put(request, System.nanoTime());
    }
    return consumer;
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    Long start = started.remove(request);
    if (start != null) {
      String verb = verb(request);
      counts.computeIfAbsent(verb, v -> new LongAdder()).increment();
      nanos.computeIfAbsent(verb, v -> new LongAdder()).add(System.nanoTime() - start);
    }
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    started.remove(request);
  }

  /** The requests so far, by verb. */
  public Map<String, Totals> totals() {
    Map<String, Totals> totals = new LinkedHashMap<>();
    counts.forEach(
        (verb, count) -> totals.put(verb, new Totals(count.sum(), nanos.get(verb).sum())));
    return totals;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String verb : VERBS) {
      FunctionTimer.builder(
              METRIC, this, o -> o.count(verb), o -> o.nanos(verb), TimeUnit.NANOSECONDS)
          .tag("verb", verb)
          .description(
              "Requests of the operator's Kubernetes client to the API server, until the response headers")
          .register(registry);
    }
  }

  private long count(String verb) {
    LongAdder count = counts.get(verb);
    return count == null ? 0 : count.sum();
  }

  private double nanos(String verb) {
    LongAdder total = nanos.get(verb);
    return total == null ? 0 : total.sum();
  }

  private static String verb(HttpRequest request) {
    return verb(
        request.method(),
        request.uri().getRawPath()
            + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
  }
}
