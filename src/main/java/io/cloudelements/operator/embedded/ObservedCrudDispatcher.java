package io.cloudelements.operator.embedded;

import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
 * adding a latency to its answers (see {@link #setLatency}).
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
      answer = super.dispatch(request);
    }
    Duration delay = verb.equals("watch") || ADMIN_AGENT.equals(request.getHeader("User-Agent")) ? Duration.ZERO
        : latency.next();
    return delay.isZero() ? answer : answer.setBodyDelay(delay);
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
