package io.cloudelements.operator.cloudelements;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link CloudElementsClient} that counts and times every call and lets at most {@code
 * maxConcurrentRequests} calls run at once in this process (a fair semaphore: callers wait in
 * arrival order).
 *
 * <p>Metrics, in Prometheus names:
 *
 * <ul>
 *   <li>{@code cloudelements_requests_total{operation,code}}: calls by operation ({@code create},
 *       {@code findByTag}, {@code get}, {@code update}, {@code reauthorize}, {@code consentUrl},
 *       {@code delete}) and outcome: the HTTP status of a failed call, {@code 2xx} for a successful
 *       one, {@code 404} for a delete of an instance already gone, {@code timeout} or {@code
 *       io_error} when no answer came, {@code error} for anything else;
 *   <li>{@code cloudelements_request_duration_seconds{operation}}: a histogram of the call
 *       durations, without the wait for a permit;
 *   <li>{@code cloudelements_requests_in_flight} and {@code cloudelements_requests_waiting}: gauges
 *       of the limiter.
 * </ul>
 *
 * No label carries a value of the request: no account, name, id or tag.
 */
public final class MeteredCloudElementsClient implements CloudElementsClient {

  public static final String REQUESTS = "cloudelements.requests";
  public static final String DURATION = "cloudelements.request.duration";
  public static final String IN_FLIGHT = "cloudelements.requests.in.flight";
  public static final String WAITING = "cloudelements.requests.waiting";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final CloudElementsClient delegate;
  private final MeterRegistry registry;
  private final Semaphore permits;
  private final int maxConcurrentRequests;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  /**
   * @param registry where the metrics go; {@code null} keeps only the limit
   * @param maxConcurrentRequests calls in flight at once, at least 1
   */
  public MeteredCloudElementsClient(
      CloudElementsClient delegate, MeterRegistry registry, int maxConcurrentRequests) {
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
    }
    this.delegate = delegate;
    this.registry = registry == null ? new CompositeMeterRegistry() : registry;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.permits = new Semaphore(maxConcurrentRequests, true);
    Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
        .description("Cloud Elements calls in flight")
        .register(this.registry);
    Gauge.builder(WAITING, permits, Semaphore::getQueueLength)
        .description("Cloud Elements calls waiting for one of the MAX_CONCURRENT_REQUESTS permits")
        .register(this.registry);
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** Calls running now. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
    return call("create", () -> delegate.create(account, desired));
  }

  @Override
  public List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
    return call("findByTag", () -> delegate.findByTag(account, tag));
  }

  @Override
  public RemoteInstance get(AccountCredentials account, long id) {
    return call("get", () -> delegate.get(account, id));
  }

  @Override
  public RemoteInstance update(AccountCredentials account, long id, InstancePatch patch) {
    return call("update", () -> delegate.update(account, id, patch));
  }

  @Override
  public RemoteInstance reauthorize(AccountCredentials account, long id, DesiredInstance desired) {
    return call("reauthorize", () -> delegate.reauthorize(account, id, desired));
  }

  @Override
  public String consentUrl(AccountCredentials account, ConsentRequest request) {
    return call("consentUrl", () -> delegate.consentUrl(account, request));
  }

  @Override
  public boolean delete(AccountCredentials account, long id) {
    return call("delete", () -> delegate.delete(account, id), gone -> gone ? "2xx" : "404");
  }

  private <T> T call(String operation, Supplier<T> call) {
    return call(operation, call, result -> "2xx");
  }

  private <T> T call(
      String operation, Supplier<T> call, java.util.function.Function<T, String> successCode) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      // Shutting down: the reconcile is abandoned as if the call had failed without an answer,
      // which is retried.
      Thread.currentThread().interrupt();
      throw CloudElementsException.noAnswer(operation, e);
    }
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    String code = "error";
    try {
      T result = call.get();
      code = successCode.apply(result);
      return result;
    } catch (CloudElementsException e) {
      code = codeOf(e);
      throw e;
    } finally {
      timer(operation).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      counter(operation, code).increment();
      inFlight.decrementAndGet();
      permits.release();
    }
  }

  /** The HTTP status, or {@code timeout} / {@code io_error} when no answer came. */
  static String codeOf(CloudElementsException e) {
    if (e.status() > 0) {
      return Integer.toString(e.status());
    }
    return e.apiMessage().filter(m -> m.startsWith("timed out")).isPresent()
        ? "timeout"
        : "io_error";
  }

  private Timer timer(String operation) {
    return timers.computeIfAbsent(
        operation,
        op ->
            Timer.builder(DURATION)
                .description("Duration of Cloud Elements calls")
                .tag("operation", op)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
  }

  private Counter counter(String operation, String code) {
    return counters.computeIfAbsent(
        operation + ' ' + code,
        key ->
            Counter.builder(REQUESTS)
                .description("Cloud Elements calls by operation and outcome")
                .tag("operation", operation)
                .tag("code", code)
                .register(registry));
  }
}
