package io.cloudelements.operator.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, strict simulator of the Cloud Elements platform API (api-v2) for the {@code
 * campaignmonitor} element, served over real HTTP with the JDK's {@link HttpServer}.
 *
 * <p>It keeps element instances in memory, checks the {@code Authorization} header, validates
 * bodies strictly, burns OAuth authorization codes on use, reproduces known quirks (404 for a tag
 * search without matches), and can inject faults: error statuses, 429 with {@code Retry-After},
 * delays, and connections dropped before or after processing. Every request is recorded (see {@link
 * #requests()}).
 *
 * <p>This class is the front door for tests and the demo; the work is done by its rooms: {@link
 * InstanceStore}, {@link RequestBodies}, {@link FaultPlan}, {@link RequestLog}, {@link ApiRoutes},
 * {@link ConsentPage}, {@link EventDeliverer} and {@link SimulatorServer}.
 *
 * <p>Secrets, tokens, codes and {@code Authorization} values are never logged.
 */
public final class CloudElementsSimulator implements AutoCloseable {

  /** The API base path. */
  public static final String BASE_PATH = "/elements/api-v2";

  /** The only element this simulator knows. */
  public static final String ELEMENT_KEY = "campaignmonitor";

  /** The id of the campaignmonitor element, as echoed in {@code element.id}. */
  public static final long ELEMENT_ID = 1234;

  /** The first instance id handed out. */
  public static final long FIRST_INSTANCE_ID = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(CloudElementsSimulator.class);

  private final SimulatorOptions options;
  private final InstanceStore store = new InstanceStore();
  private final RequestLog log = new RequestLog();
  private final FaultPlan faults;
  private final EventDeliverer events;
  private final ConsentPage consent = new ConsentPage(store);
  private final SimulatorServer server;
  private final String baseUrl;
  private final int port;

  private CloudElementsSimulator(SimulatorOptions options, InetAddress bindAddress)
      throws IOException {
    this.options = options;
    this.faults = new FaultPlan(options.latency());
    ObjectMapper mapper =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    RequestBodies bodies = new RequestBodies(mapper);
    JsonAnswers answers = new JsonAnswers(mapper);
    this.events = new EventDeliverer(mapper);
    this.server = new SimulatorServer(bindAddress, options.port(), faults, log, bodies, answers);
    String host =
        bindAddress.isAnyLocalAddress() || bindAddress.isLoopbackAddress()
            ? "127.0.0.1"
            : hostForUrl(bindAddress);
    this.port = server.port();
    this.baseUrl = "http://" + host + ":" + port + BASE_PATH;
    server.start(
        new ApiRoutes(
            store, bodies, answers, new Authorization(options), consent, events, baseUrl));
  }

  /**
   * Starts a simulator listening on the loopback interface ({@code options.port()} 0 picks a free
   * port).
   */
  public static CloudElementsSimulator start(SimulatorOptions options) {
    return start(options, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts a simulator listening on {@code bindAddress} (for example the wildcard address, to serve
   * other pods or containers). {@link #baseUrl()} names 127.0.0.1 for a loopback or wildcard
   * address.
   */
  public static CloudElementsSimulator start(SimulatorOptions options, InetAddress bindAddress) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    if (bindAddress == null) {
      throw new IllegalArgumentException("bindAddress must not be null");
    }
    try {
      CloudElementsSimulator simulator = new CloudElementsSimulator(options, bindAddress);
      LOG.info("Cloud Elements simulator listening on {}", simulator.baseUrl());
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the Cloud Elements simulator on port " + options.port(), e);
    }
  }

  /** For example {@code http://127.0.0.1:41234/elements/api-v2}. */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return port;
  }

  public SimulatorOptions options() {
    return options;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Test and demo controls
  // ---------------------------------------------------------------------------------------------------------------

  /** A snapshot of every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return log.requests();
  }

  /**
   * How many requests arrived with that method ({@code null}: any) and a path starting with {@code
   * pathPrefix} (relative to {@code /elements/api-v2}, without query), e.g. {@code count("POST",
   * "/instances")}.
   */
  public long count(String method, String pathPrefix) {
    return log.count(method, pathPrefix);
  }

  /** A snapshot of the live instances, by increasing id. */
  public List<SimulatedInstance> instances() {
    return store.instances();
  }

  /**
   * Every token this simulator ever issued (on creation and re-authentication), including those of
   * instances since deleted and those issued before a {@link #reset()}: the values a secret-leak
   * scan must not find anywhere.
   */
  public List<String> issuedTokens() {
    return store.issuedTokens();
  }

  public Optional<SimulatedInstance> instance(long id) {
    return store.instance(id);
  }

  /** Queues a fault rule; the first matching rule is applied to each request. */
  public void inject(Fault fault) {
    faults.inject(fault);
  }

  /** Removes every queued fault rule (the random fault rate is kept). */
  public void clearFaults() {
    faults.clearFaults();
  }

  /** Latency added to every request from now on. */
  public void setLatency(Duration latency) {
    faults.setLatency(latency);
  }

  /**
   * Makes a random fraction {@code rate} (0..1) of the requests fail, with an even mix of 500, 503,
   * 429 ({@code Retry-After: 1}), a connection reset before processing, and a hang before
   * processing ("timeout": 30 s unless {@link #setRandomTimeout} says otherwise; the request is
   * processed after the hang). {@code seed} makes the sequence reproducible. The consent page
   * ({@code /simulator/...}) is exempt.
   */
  public void setFaultRate(double rate, long seed) {
    faults.setFaultRate(rate, seed);
  }

  /**
   * How long the "timeout" of the random fault mix hangs before it processes the request anyway
   * (default 30 s). A client with a shorter timeout gives up first, and the request still takes
   * effect later, as a slow real API's would.
   */
  public void setRandomTimeout(Duration hang) {
    faults.setRandomTimeout(hang);
  }

  /** Requests received and not finished yet (held, hanging, or being processed). */
  public int inFlight() {
    return server.inFlight();
  }

  /** Waits until no request is in flight; false if some still were after {@code timeout}. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return server.awaitIdle(timeout);
  }

  /** Deletes an instance behind the operator's back, as someone in the Cloud Elements UI would. */
  public void deleteRemotely(long id) {
    store.deleteRemotely(id);
  }

  /** Marks an instance {@code valid: false}, as when its provider credentials stop working. */
  public void markInvalid(long id) {
    store.markInvalid(id);
  }

  /**
   * A fresh random one-time authorization code (any other unused non-blank code is accepted too).
   */
  public String newAuthorizationCode() {
    return store.newAuthorizationCode();
  }

  /**
   * Delivers a sample Campaign Monitor subscriber event to the instance's {@code
   * event.notification.callback.url} now, as {@code POST /instances/{id}/events/test} does: signed
   * with {@code Elements-Webhook-Signature: sha256=<Base64(HMAC-SHA256(key, raw body))>} when the
   * instance holds a non-empty {@code event.notification.signature.key}, unsigned otherwise. A
   * receiver that does not answer is recorded with status 0, not thrown.
   *
   * @throws IllegalArgumentException when there is no such instance, its events are not enabled, or
   *     its callback URL is not a loopback URL (127.0.0.1, [::1] or localhost)
   */
  public EventDelivery deliverTestEvent(long instanceId) throws InterruptedException {
    try {
      return events.deliverSample(store.get(instanceId));
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** The event deliveries made for that instance so far, oldest first. */
  public List<EventDelivery> deliveries(long instanceId) {
    return events.deliveries(instanceId);
  }

  /** Every event delivery made so far, oldest first. */
  public List<EventDelivery> deliveries() {
    return events.deliveries(null);
  }

  /**
   * Whether a plain GET of the consent page approves at once (HTTP 302 to {@code
   * callbackUrl?code=<fresh single-use code>&state=<state>}) instead of showing a person an
   * approve/deny page (default: it asks). A setting like the options: {@link #reset()} keeps it.
   */
  public void setConsentAutoApprove(boolean autoApprove) {
    consent.setAutoApprove(autoApprove);
  }

  /**
   * Forgets instances, recorded requests, event deliveries, queued faults and used codes, and
   * restores the random fault rate (0), the random timeout (30 s) and the latency of the options.
   * Instance ids keep increasing, so that an id from before the reset is never reused. The consent
   * setting is kept.
   */
  public void reset() {
    store.reset();
    faults.reset();
    log.clear();
    events.reset();
  }

  @Override
  public void close() {
    if (server.close()) {
      LOG.info("Cloud Elements simulator on port {} stopped", port());
    }
  }

  private static String hostForUrl(InetAddress address) {
    String literal = address.getHostAddress();
    return literal.contains(":") ? "[" + literal + "]" : literal;
  }
}
