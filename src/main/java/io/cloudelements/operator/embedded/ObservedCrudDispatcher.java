package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The CRUD dispatcher of the mock API server, counting requests by verb (as the API server's audit log would:
 * get, list, watch, create, update, patch, delete), letting tests intercept requests before they are applied, and
 * adding a latency to its answers (see {@link #setLatency}). Unlike the plain CRUD dispatcher, a PUT to a status
 * subresource with a stale {@code metadata.resourceVersion} answers 409, as the API server does: optimistic locking
 * of status updates works here too.
 */
public final class ObservedCrudDispatcher extends KubernetesCrudDispatcher {

  /** Sees a request before it is applied; returns a response to answer instead, or null to proceed. */
  public interface Interceptor extends Function<RecordedRequest, MockResponse> {
  }

  /** The User-Agent of {@link EmbeddedKubernetes#client()}: its requests (setting up, inspecting) get no latency. */
  public static final String ADMIN_AGENT = "embedded-kubernetes-admin";

  private final Map<String, LongAdder> verbs = new ConcurrentHashMap<>();
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
  private volatile Latency latency = Latency.NONE;
  private final Object statusUpdates = new Object();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String verb = verb(request);
    verbs.computeIfAbsent(verb, v -> new LongAdder()).increment();
    MockResponse answer = null;
    for (Interceptor interceptor : interceptors) {
      answer = interceptor.apply(request);
      if (answer != null) {
        break;
      }
    }
    if (answer == null) {
      answer = dispatchLocked(request);
    }
    Duration delay = verb.equals("watch") || ADMIN_AGENT.equals(request.getHeader("User-Agent")) ? Duration.ZERO
        : latency.next();
    return delay.isZero() ? answer : answer.setBodyDelay(delay);
  }

  /** A status PUT is checked against the stored resourceVersion and applied under one lock. */
  private MockResponse dispatchLocked(RecordedRequest request) {
    if ("PUT".equalsIgnoreCase(request.getMethod()) && bare(request.getPath()).endsWith("/status")) {
      synchronized (statusUpdates) {
        String stale = staleResourceVersion(request);
        return stale != null ? conflict(stale) : super.dispatch(request);
      }
    }
    return super.dispatch(request);
  }

  /** The resourceVersion the request sent when it is not the stored one, else null. */
  private String staleResourceVersion(RecordedRequest request) {
    try {
      String sent = JSON.readTree(request.getBody().getBytes()).path("metadata").path("resourceVersion").asText("");
      if (sent.isEmpty()) {
        return null;
      }
      String path = bare(request.getPath());
      MockResponse current = handleGet(path.substring(0, path.length() - "/status".length()));
      if (current.getStatus() == null || !current.getStatus().contains(" 200")) {
        return null;
      }
      String stored = JSON.readTree(current.getBody().getBytes()).path("metadata").path("resourceVersion")
          .asText("");
      return sent.equals(stored) ? null : sent;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static MockResponse conflict(String sent) {
    return new MockResponse().setResponseCode(409).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\","
        + "\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"Operation cannot be "
        + "fulfilled: the object has been modified (resourceVersion " + sent + " is stale); please apply your "
        + "changes to the latest version and try again\"}");
  }

  private static String bare(String path) {
    String p = path == null ? "" : path;
    return p.contains("?") ? p.substring(0, p.indexOf('?')) : p;
  }

  /**
   * Answers every request but a watch, and but those of the admin client, {@code latency} ± up to {@code jitter} later (uniformly, in whole
   * milliseconds), without holding the server's event loop: the change is applied at once, its answer (headers and
   * body) is sent after the delay. An answer without a body is not delayed.
   */
  public void setLatency(Duration latency, Duration jitter) {
    this.latency = new Latency(latency, jitter);
  }

  /** The latency to add to the next answer. */
  record Latency(Duration base, Duration jitter) {

    static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

    Latency {
      if (base.isNegative() || jitter.isNegative() || jitter.compareTo(base) > 0) {
        throw new IllegalArgumentException("the latency and its jitter must be 0 or more, the jitter at most the "
            + "latency, but were " + base + " and " + jitter);
      }
    }

    Duration next() {
      if (jitter.isZero()) {
        return base;
      }
      long spread = jitter.toMillis();
      return base.plusMillis(ThreadLocalRandom.current().nextLong(-spread, spread + 1));
    }
  }

  public void intercept(Interceptor interceptor) {
    interceptors.add(interceptor);
  }

  public void clearInterceptors() {
    interceptors.clear();
  }

  /** Requests so far by verb. */
  public Map<String, Long> requestsByVerb() {
    Map<String, Long> snapshot = new TreeMap<>();
    verbs.forEach((verb, count) -> snapshot.put(verb, count.sum()));
    return snapshot;
  }

  static String verb(RecordedRequest request) {
    return ApiServerRequests.verb(request.getMethod(), request.getPath());
  }
}
