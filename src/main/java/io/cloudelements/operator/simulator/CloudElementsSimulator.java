package io.cloudelements.operator.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful, strict simulator of the Cloud Elements platform API (api-v2) for the {@code campaignmonitor} element,
 * served over real HTTP with the JDK's {@link HttpServer}.
 *
 * <p>It keeps element instances in memory, checks the {@code Authorization} header, validates bodies strictly, burns
 * OAuth authorization codes on use, reproduces known quirks (404 for a tag search without matches), and can inject
 * faults: error statuses, 429 with {@code Retry-After}, delays, and connections dropped before or after processing.
 * Every request is recorded (see {@link #requests()}).
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

  /** How long the "timeout" of the random fault mix hangs before processing, unless {@link #setRandomTimeout} says. */
  static final Duration RANDOM_TIMEOUT = Duration.ofSeconds(30);

  static final String CODE_REJECTED = "The authorization code is invalid or was already used";

  private static final Logger LOG = LoggerFactory.getLogger(CloudElementsSimulator.class);
  private static final int THREADS = 128;
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Pattern INSTANCE_PATH = Pattern.compile("^/instances/([^/]+)$");
  private static final Pattern INSTANCE_ID = Pattern.compile("^[0-9]{1,18}$");
  private static final Pattern OAUTH_URL_PATH = Pattern.compile("^/elements/([^/]+)/oauth/url$");
  private static final Pattern SAFE_HOST = Pattern.compile("^([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$");
  private static final String CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private static final String AUTH_TYPE = "authentication.type";
  private static final String OAUTH_KEY = "oauth.api.key";
  private static final String OAUTH_SECRET = "oauth.api.secret";
  private static final String OAUTH_CALLBACK = "oauth.callback.url";
  private static final String USERNAME = "username";
  private static final String EVENTS_ENABLED = "event.notification.enabled";
  private static final String EVENTS_CALLBACK = "event.notification.callback.url";

  static {
    // The JDK server writes the response headers and the body in two writes; with Nagle's algorithm on, the body
    // then waits for the client's delayed ACK (~40 ms per request on Linux). The server reads this property once,
    // when the first HttpServer of the JVM is created; an explicit setting by the user wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final SimulatorOptions options;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String baseUrl;
  private final int port;
  private final ObjectMapper mapper;
  private final SecureRandom secureRandom = new SecureRandom();
  private final byte[] userSecret;
  private final byte[] organizationSecret;

  /** Guards instances, nextId and usedCodes. */
  private final Object stateLock = new Object();
  private final Map<Long, InstanceState> instances = new TreeMap<>();
  private final Set<String> usedCodes = new HashSet<>();
  /** Every token handed out, kept across {@link #reset()} and deletions: what a leak scan must look for. */
  private final List<String> issuedTokens = new ArrayList<>();
  private long nextId = FIRST_INSTANCE_ID;

  /** Guards faults, the request log, the random fault settings. */
  private final Object controlLock = new Object();
  private final List<ArmedFault> faults = new ArrayList<>();
  private final List<LogEntry> log = new ArrayList<>();
  private double faultRate;
  private Random faultRandom = new Random(0);

  private volatile Duration latency;
  private volatile Duration randomTimeout = RANDOM_TIMEOUT;
  private volatile boolean closed;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** The body of the request being handled on this thread, read before the fault rules are matched. */
  private final ThreadLocal<byte[]> currentBody = new ThreadLocal<>();

  private CloudElementsSimulator(SimulatorOptions options, InetAddress bindAddress) throws IOException {
    this.options = options;
    this.latency = options.latency();
    this.userSecret = options.userSecret().getBytes(StandardCharsets.UTF_8);
    this.organizationSecret = options.organizationSecret().getBytes(StandardCharsets.UTF_8);
    this.mapper = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "ce-simulator-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, options.port()), 256);
    this.server.setExecutor(executor);
    this.server.createContext("/", this::handle);
    this.server.start();
    this.port = server.getAddress().getPort();
    String host = bindAddress.isAnyLocalAddress() || bindAddress.isLoopbackAddress()
        ? "127.0.0.1"
        : hostForUrl(bindAddress);
    this.baseUrl = "http://" + host + ":" + port + BASE_PATH;
  }

  /** Starts a simulator listening on the loopback interface ({@code options.port()} 0 picks a free port). */
  public static CloudElementsSimulator start(SimulatorOptions options) {
    return start(options, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts a simulator listening on {@code bindAddress} (for example the wildcard address, to serve other pods or
   * containers). {@link #baseUrl()} names 127.0.0.1 for a loopback or wildcard address.
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
      throw new UncheckedIOException("Cannot start the Cloud Elements simulator on port " + options.port(), e);
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
    synchronized (controlLock) {
      return log.stream().map(LogEntry::toRecord).toList();
    }
  }

  /**
   * How many requests arrived with that method ({@code null}: any) and a path starting with {@code pathPrefix}
   * (relative to {@code /elements/api-v2}, without query), e.g. {@code count("POST", "/instances")}.
   */
  public long count(String method, String pathPrefix) {
    String prefix = pathPrefix == null ? "" : pathPrefix;
    synchronized (controlLock) {
      return log.stream()
          .filter(e -> method == null || e.method.equalsIgnoreCase(method))
          .filter(e -> e.path.startsWith(prefix))
          .count();
    }
  }

  /** A snapshot of the live instances, by increasing id. */
  public List<SimulatedInstance> instances() {
    synchronized (stateLock) {
      return instances.values().stream().map(InstanceState::snapshot).toList();
    }
  }

  /**
   * Every token this simulator ever issued (on creation and re-authentication), including those of instances since
   * deleted and those issued before a {@link #reset()}: the values a secret-leak scan must not find anywhere.
   */
  public List<String> issuedTokens() {
    synchronized (stateLock) {
      return List.copyOf(issuedTokens);
    }
  }

  public Optional<SimulatedInstance> instance(long id) {
    synchronized (stateLock) {
      return Optional.ofNullable(instances.get(id)).map(InstanceState::snapshot);
    }
  }

  /** Queues a fault rule; the first matching rule is applied to each request. */
  public void inject(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException("fault must not be null");
    }
    synchronized (controlLock) {
      faults.add(new ArmedFault(fault));
    }
    LOG.debug("Simulator fault queued: {}", fault);
  }

  /** Removes every queued fault rule (the random fault rate is kept). */
  public void clearFaults() {
    synchronized (controlLock) {
      faults.clear();
    }
  }

  /** Latency added to every request from now on. */
  public void setLatency(Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive");
    }
    this.latency = latency;
  }

  /**
   * Makes a random fraction {@code rate} (0..1) of the requests fail, with an even mix of 500, 503, 429
   * ({@code Retry-After: 1}), a connection reset before processing, and a hang before processing ("timeout": 30 s
   * unless {@link #setRandomTimeout} says otherwise; the request is processed after the hang).
   * {@code seed} makes the sequence reproducible. The consent page ({@code /simulator/...}) is exempt.
   */
  public void setFaultRate(double rate, long seed) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("rate must be between 0 and 1");
    }
    synchronized (controlLock) {
      this.faultRate = rate;
      this.faultRandom = new Random(seed);
    }
  }

  /**
   * How long the "timeout" of the random fault mix hangs before it processes the request anyway (default 30 s). A
   * client with a shorter timeout gives up first, and the request still takes effect later, as a slow real API's
   * would.
   */
  public void setRandomTimeout(Duration hang) {
    if (hang == null || hang.isNegative()) {
      throw new IllegalArgumentException("hang must be zero or positive");
    }
    this.randomTimeout = hang;
  }

  /** Requests received and not finished yet (held, hanging, or being processed). */
  public int inFlight() {
    return inFlight.get();
  }

  /** Waits until no request is in flight; false if some still were after {@code timeout}. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Deletes an instance behind the operator's back, as someone in the Cloud Elements UI would. */
  public void deleteRemotely(long id) {
    synchronized (stateLock) {
      if (instances.remove(id) == null) {
        throw new IllegalArgumentException("No simulated instance with id " + id);
      }
    }
    LOG.info("Simulator: instance {} deleted remotely", id);
  }

  /** Marks an instance {@code valid: false}, as when its provider credentials stop working. */
  public void markInvalid(long id) {
    synchronized (stateLock) {
      InstanceState state = instances.get(id);
      if (state == null) {
        throw new IllegalArgumentException("No simulated instance with id " + id);
      }
      state.valid = false;
    }
    LOG.info("Simulator: instance {} marked invalid", id);
  }

  /** A fresh random one-time authorization code (any other unused non-blank code is accepted too). */
  public String newAuthorizationCode() {
    StringBuilder code = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      code.append(CODE_ALPHABET.charAt(secureRandom.nextInt(CODE_ALPHABET.length())));
    }
    return code.toString();
  }

  /**
   * Forgets instances, recorded requests, queued faults and used codes, and restores the random fault rate (0), the
   * random timeout (30 s) and the latency of the options. Instance ids keep increasing, so that an id from before the
   * reset is never reused.
   */
  public void reset() {
    synchronized (stateLock) {
      instances.clear();
      usedCodes.clear();
    }
    synchronized (controlLock) {
      faults.clear();
      log.clear();
      faultRate = 0;
      faultRandom = new Random(0);
    }
    latency = options.latency();
    randomTimeout = RANDOM_TIMEOUT;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    LOG.info("Cloud Elements simulator on port {} stopped", port);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Request handling
  // ---------------------------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    try {
      handleExchange(exchange);
    } finally {
      currentBody.remove();
      inFlight.decrementAndGet();
      // Idempotent. Also covers an Error thrown anywhere above: without a response it drops the connection, so a
      // client never waits for an answer that will not come.
      exchange.close();
    }
  }

  private void handleExchange(HttpExchange exchange) {
    String requestId = UUID.randomUUID().toString();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    rawPath = rawPath == null ? "" : rawPath;
    boolean underBase = rawPath.equals(BASE_PATH) || rawPath.startsWith(BASE_PATH + "/");
    String path = underBase ? rawPath.substring(BASE_PATH.length()) : rawPath;
    if (path.isEmpty()) {
      path = "/";
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    LogEntry entry = record(requestId, method, path, maskQuery(rawQuery));
    try {
      byte[] body = readBodyIfAny(exchange, method);
      currentBody.set(body);
      entry.tags = tagsOf(rawQuery, body);
      sleep(latency);
      boolean dropAfterProcessing = false;
      Hold holdAfterProcessing = null;
      Fault fault = takeFault(method, path, entry.tags);
      if (fault != null) {
        switch (fault.kind()) {
          case STATUS -> {
            send(exchange, entry, error(requestId, fault.statusCode(), "Simulated failure (HTTP "
                + fault.statusCode() + ")"));
            return;
          }
          case RATE_LIMITED -> {
            send(exchange, entry, error(requestId, 429, "Too many requests")
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
      if (!path.startsWith("/simulator/")) {
        RandomFault random = rollRandomFault();
        if (random != null) {
          switch (random) {
            case HTTP_500 -> {
              send(exchange, entry, error(requestId, 500, "Simulated random failure (HTTP 500)"));
              return;
            }
            case HTTP_503 -> {
              send(exchange, entry, error(requestId, 503, "Simulated random failure (HTTP 503)"));
              return;
            }
            case HTTP_429 -> {
              send(exchange, entry, error(requestId, 429, "Too many requests").header("Retry-After", "1"));
              return;
            }
            case RESET -> {
              drop(exchange, entry, "random reset");
              return;
            }
            case TIMEOUT -> sleep(randomTimeout);
          }
        }
      }
      Response response;
      try {
        response = dispatch(exchange, method, path, underBase, rawQuery);
      } catch (ApiException e) {
        response = error(requestId, e.status, e.getMessage());
        e.headers.forEach(response::header);
      }
      if (holdAfterProcessing != null && holdAfterProcessing.await() == Hold.Decision.DROP) {
        drop(exchange, entry, "held after processing, then dropped (would have answered " + response.status + ")");
        return;
      }
      if (dropAfterProcessing) {
        drop(exchange, entry, "dropped after processing (would have answered " + response.status + ")");
        return;
      }
      send(exchange, entry, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drop(exchange, entry, "interrupted (simulator closing)");
    } catch (IOException e) {
      LOG.debug("Simulator: could not answer {} {} (Elements-Request-Id {}): {}", method, path, requestId,
          e.toString());
    } catch (RuntimeException e) {
      LOG.warn("Simulator: internal error on {} {} (Elements-Request-Id {})", method, path, requestId, e);
      try {
        send(exchange, entry, error(requestId, 500, "Internal simulator error"));
      } catch (IOException | RuntimeException ignored) {
        // the client is gone, or the headers were already sent
      }
    }
  }

  private Response dispatch(HttpExchange exchange, String method, String path, boolean underBase, String rawQuery)
      throws IOException {
    if (underBase && path.equals("/simulator/consent")) {
      requireMethod(method, "GET");
      return consent(parseQuery(rawQuery));
    }
    if (!underBase) {
      throw new ApiException(404, "No resource at this path; the API lives under " + BASE_PATH);
    }
    authenticate(exchange);
    if (path.equals("/instances")) {
      requireMethod(method, "GET", "POST");
      return method.equals("GET") ? listInstances(parseQuery(rawQuery)) : createInstance(exchange);
    }
    Matcher instancePath = INSTANCE_PATH.matcher(path);
    if (instancePath.matches()) {
      requireMethod(method, "GET", "PATCH", "PUT", "DELETE");
      String idText = instancePath.group(1);
      if (!INSTANCE_ID.matcher(idText).matches()) {
        throw new ApiException(404, "No element instance found with id " + idText);
      }
      long id = Long.parseLong(idText);
      return switch (method) {
        case "GET" -> getInstance(id);
        case "PATCH" -> patchInstance(exchange, id);
        case "PUT" -> reauthenticateInstance(exchange, id, parseQuery(rawQuery));
        default -> deleteInstance(id);
      };
    }
    Matcher oauthUrl = OAUTH_URL_PATH.matcher(path);
    if (oauthUrl.matches()) {
      requireMethod(method, "GET");
      if (!oauthUrl.group(1).equals(ELEMENT_KEY)) {
        throw new ApiException(404, "No element found with key " + oauthUrl.group(1));
      }
      return oauthUrl(exchange, parseQuery(rawQuery));
    }
    throw new ApiException(404, "No resource at " + BASE_PATH + path);
  }

  // --- endpoints ---------------------------------------------------------------------------------------------------

  private Response createInstance(HttpExchange exchange) throws IOException {
    ObjectNode body = readJsonObject(exchange);
    JsonNode element = body.get("element");
    if (element == null || !element.isObject()) {
      throw badRequest("element is required and must be an object like {\"key\": \"campaignmonitor\"}");
    }
    JsonNode key = element.get("key");
    if (key == null || !key.isTextual() || key.asText().isBlank()) {
      throw badRequest("element.key is required and must be a string");
    }
    if (!key.asText().equals(ELEMENT_KEY)) {
      throw badRequest("element.key must be \"" + ELEMENT_KEY + "\"");
    }
    JsonNode configurationNode = body.get("configuration");
    if (configurationNode == null || !configurationNode.isObject()) {
      throw badRequest("configuration is required and must be a JSON object");
    }
    Map<String, Object> configuration = readConfiguration(configurationNode);
    validateSentConfiguration(configuration);
    String code = null;
    if (isBasic(configuration)) {
      requireNonBlankConfiguration(configuration, USERNAME, "with authentication.type basic");
    } else {
      requireNonBlankConfiguration(configuration, OAUTH_KEY, "for OAuth2 authentication");
      requireNonBlankConfiguration(configuration, OAUTH_SECRET, "for OAuth2 authentication");
      requireNonBlankConfiguration(configuration, OAUTH_CALLBACK, "for OAuth2 authentication");
      code = readProviderCode(body);
    }
    validateEvents(configuration);
    String name = readOptionalString(body, "name");
    List<String> tags = readOptionalTags(body);

    InstanceState created;
    synchronized (stateLock) {
      if (code != null && !usedCodes.add(code)) {
        throw badRequest(CODE_REJECTED);
      }
      created = new InstanceState(nextId++, name, newToken(), tags == null ? List.of() : tags, configuration,
          Instant.now().truncatedTo(ChronoUnit.MILLIS));
      instances.put(created.id, created);
    }
    LOG.debug("Simulator: created instance {} ({} authentication)", created.id, isBasic(configuration) ? "basic"
        : "oauth2");
    return json(200, instanceJson(created));
  }

  private Response listInstances(Map<String, List<String>> query) {
    List<String> wanted = query.getOrDefault("tags[]", List.of());
    ArrayNode result = mapper.createArrayNode();
    synchronized (stateLock) {
      for (InstanceState state : instances.values()) {
        if (state.tags.containsAll(wanted)) {
          result.add(instanceJson(state));
        }
      }
    }
    if (result.isEmpty()) {
      throw new ApiException(404, wanted.isEmpty() ? "No element instances found"
          : "No element instances found with the given tags");
    }
    return json(200, result);
  }

  private Response getInstance(long id) {
    synchronized (stateLock) {
      return json(200, instanceJson(find(id)));
    }
  }

  private Response patchInstance(HttpExchange exchange, long id) throws IOException {
    ObjectNode body = readJsonObject(exchange);
    String name = readOptionalString(body, "name");
    List<String> tags = readOptionalTags(body);
    Map<String, Object> sent = readOptionalConfiguration(body);
    synchronized (stateLock) {
      InstanceState state = find(id);
      if (sent != null) {
        Map<String, Object> merged = new LinkedHashMap<>(state.configuration);
        merged.putAll(sent);
        validateEvents(merged);
        state.configuration = merged;
      }
      if (name != null) {
        state.name = name;
      }
      if (tags != null) {
        state.tags = tags;
      }
      return json(200, instanceJson(state));
    }
  }

  private Response reauthenticateInstance(HttpExchange exchange, long id, Map<String, List<String>> query)
      throws IOException {
    List<String> reAuthenticate = query.getOrDefault("reAuthenticate", List.of());
    if (reAuthenticate.size() != 1 || !reAuthenticate.get(0).equalsIgnoreCase("true")) {
      throw badRequest("PUT /instances/{id} is only supported with the query parameter reAuthenticate=true");
    }
    ObjectNode body = readJsonObject(exchange);
    Map<String, Object> sent = readOptionalConfiguration(body);
    String name = readOptionalString(body, "name");
    List<String> tags = readOptionalTags(body);
    boolean hasProviderData = body.hasNonNull("providerData");
    synchronized (stateLock) {
      InstanceState state = find(id);
      Map<String, Object> merged = new LinkedHashMap<>(state.configuration);
      if (sent != null) {
        merged.putAll(sent);
      }
      String code = null;
      if (isBasic(merged)) {
        requireNonBlankConfiguration(merged, USERNAME, "with authentication.type basic");
        if (hasProviderData) {
          code = readProviderCode(body);
        }
      } else {
        requireNonBlankConfiguration(merged, OAUTH_KEY, "for OAuth2 authentication");
        requireNonBlankConfiguration(merged, OAUTH_SECRET, "for OAuth2 authentication");
        requireNonBlankConfiguration(merged, OAUTH_CALLBACK, "for OAuth2 authentication");
        code = readProviderCode(body);
      }
      validateEvents(merged);
      if (code != null && !usedCodes.add(code)) {
        throw badRequest(CODE_REJECTED);
      }
      state.configuration = merged;
      state.token = newToken();
      state.valid = true;
      if (name != null) {
        state.name = name;
      }
      if (tags != null) {
        state.tags = tags;
      }
      LOG.debug("Simulator: re-authenticated instance {} (new token issued)", id);
      return json(200, instanceJson(state));
    }
  }

  private Response deleteInstance(long id) {
    synchronized (stateLock) {
      if (instances.remove(id) == null) {
        throw notFound(id);
      }
    }
    LOG.debug("Simulator: deleted instance {}", id);
    return json(200, mapper.createObjectNode());
  }

  private Response oauthUrl(HttpExchange exchange, Map<String, List<String>> query) {
    requireQueryParameter(query, "apiKey");
    requireQueryParameter(query, "apiSecret");
    String callbackUrl = requireQueryParameter(query, "callbackUrl");
    requireHttpUrl(callbackUrl, "callbackUrl");
    String state = firstOrNull(query, "state");
    String consent = publicBaseUrl(exchange) + "/simulator/consent?callbackUrl=" + encode(callbackUrl)
        + (state == null ? "" : "&state=" + encode(state));
    ObjectNode body = mapper.createObjectNode();
    body.put("oauthUrl", consent);
    body.put("element", ELEMENT_KEY);
    return json(200, body);
  }

  private Response consent(Map<String, List<String>> query) {
    String callbackUrl = requireQueryParameter(query, "callbackUrl");
    requireHttpUrl(callbackUrl, "callbackUrl");
    String state = firstOrNull(query, "state");
    String location = callbackUrl + (callbackUrl.contains("?") ? "&" : "?") + "code=" + encode(newAuthorizationCode())
        + (state == null ? "" : "&state=" + encode(state));
    return new Response(302, null).header("Location", location);
  }

  // --- validation --------------------------------------------------------------------------------------------------

  private void authenticate(HttpExchange exchange) {
    List<String> values = exchange.getRequestHeaders().get("Authorization");
    if (values == null || values.size() != 1 || !authorizationMatches(values.get(0))) {
      throw new ApiException(401, "Invalid or missing credentials: expected the header "
          + "Authorization: User <user secret>, Organization <organization secret>");
    }
  }

  private boolean authorizationMatches(String header) {
    String user = null;
    String organization = null;
    boolean element = false;
    for (String part : header.split(",", -1)) {
      String trimmed = part.strip();
      String[] words = trimmed.split("\\s+", 2);
      if (words.length != 2 || words[1].isBlank()) {
        return false;
      }
      String value = words[1].strip();
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "user" -> {
          if (user != null) {
            return false;
          }
          user = value;
        }
        case "organization" -> {
          if (organization != null) {
            return false;
          }
          organization = value;
        }
        case "element" -> {
          if (element) {
            return false;
          }
          element = true;
        }
        default -> {
          return false;
        }
      }
    }
    if (user == null || organization == null) {
      return false;
    }
    boolean userMatches = MessageDigest.isEqual(bytes(user), userSecret);
    boolean organizationMatches = MessageDigest.isEqual(bytes(organization), organizationSecret);
    return userMatches && organizationMatches;
  }

  private static byte[] bytes(String value) {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }

  private static void requireMethod(String method, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    throw new ApiException(405, "Method " + method + " is not allowed here")
        .withHeader("Allow", String.join(", ", allowed));
  }

  private ObjectNode readJsonObject(HttpExchange exchange) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "Content-Type must be application/json");
    }
    byte[] raw = currentBody.get();
    if (raw == null) {
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readNBytes(MAX_BODY_BYTES + 1);
      }
    }
    if (raw.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "Request body too large");
    }
    if (raw.length == 0) {
      throw badRequest("A JSON request body is required");
    }
    JsonNode node;
    try {
      node = mapper.readTree(raw);
    } catch (JsonProcessingException e) {
      // The parser's own message can quote parts of the body (possibly secrets): only say where it broke.
      var location = e.getLocation();
      throw badRequest("Malformed JSON body" + (location == null ? ""
          : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
    }
    if (node == null || !node.isObject()) {
      throw badRequest("The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private Map<String, Object> readConfiguration(JsonNode node) {
    Map<String, Object> configuration = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw badRequest("configuration." + field.getKey() + " must be a string, number or boolean");
      }
      Object javaValue;
      if (value.isNull()) {
        javaValue = null;
      } else if (value.isBoolean()) {
        javaValue = value.booleanValue();
      } else if (value.isNumber()) {
        javaValue = value.numberValue();
      } else {
        javaValue = value.asText();
      }
      configuration.put(field.getKey(), javaValue);
    }
    return configuration;
  }

  private Map<String, Object> readOptionalConfiguration(ObjectNode body) {
    JsonNode node = body.get("configuration");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw badRequest("configuration must be a JSON object");
    }
    Map<String, Object> sent = readConfiguration(node);
    validateSentConfiguration(sent);
    return sent;
  }

  /** Checks the types of the keys that were sent. */
  private static void validateSentConfiguration(Map<String, Object> sent) {
    if (sent.containsKey(AUTH_TYPE)) {
      Object type = sent.get(AUTH_TYPE);
      if (!"oauth2".equals(type) && !"basic".equals(type)) {
        throw badRequest("configuration.authentication.type must be \"oauth2\" or \"basic\"");
      }
    }
    if (sent.containsKey(EVENTS_ENABLED) && !(sent.get(EVENTS_ENABLED) instanceof Boolean)) {
      throw badRequest("configuration.event.notification.enabled must be a JSON boolean (true or false), "
          + "not a string or another type");
    }
    for (String key : List.of(OAUTH_KEY, OAUTH_SECRET, OAUTH_CALLBACK, USERNAME, EVENTS_CALLBACK)) {
      if (sent.containsKey(key)) {
        requireNonBlankConfiguration(sent, key, "when present");
      }
    }
  }

  private static void validateEvents(Map<String, Object> configuration) {
    if (Boolean.TRUE.equals(configuration.get(EVENTS_ENABLED))) {
      Object callback = configuration.get(EVENTS_CALLBACK);
      if (!(callback instanceof String text) || text.isBlank()) {
        throw badRequest("configuration.event.notification.callback.url is required when "
            + "event.notification.enabled is true");
      }
    }
  }

  private static boolean isBasic(Map<String, Object> configuration) {
    return "basic".equals(configuration.get(AUTH_TYPE));
  }

  private static void requireNonBlankConfiguration(Map<String, Object> configuration, String key, String when) {
    Object value = configuration.get(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw badRequest("configuration." + key + " is required " + when + " and must be a non-blank string");
    }
  }

  private static String readProviderCode(ObjectNode body) {
    JsonNode providerData = body.get("providerData");
    if (providerData == null || !providerData.isObject()) {
      throw badRequest("providerData.code is required for OAuth2 authentication");
    }
    JsonNode code = providerData.get("code");
    if (code == null || !code.isTextual() || code.asText().isBlank()) {
      throw badRequest("providerData.code is required for OAuth2 authentication and must be a non-blank string");
    }
    return code.asText();
  }

  private static String readOptionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw badRequest(field + " must be a string");
    }
    return node.asText();
  }

  private static List<String> readOptionalTags(ObjectNode body) {
    JsonNode node = body.get("tags");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw badRequest("tags must be an array of strings");
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : node) {
      if (!tag.isTextual()) {
        throw badRequest("tags must be an array of strings");
      }
      tags.add(tag.asText());
    }
    return List.copyOf(tags);
  }

  private static String requireQueryParameter(Map<String, List<String>> query, String name) {
    String value = firstOrNull(query, name);
    if (value == null || value.isBlank()) {
      throw badRequest("The query parameter " + name + " is required");
    }
    return value;
  }

  private static void requireHttpUrl(String url, String name) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null || uri.getRawFragment() != null) {
        throw badRequest(name + " must be an absolute http(s) URL without fragment");
      }
    } catch (URISyntaxException e) {
      throw badRequest(name + " must be an absolute http(s) URL without fragment");
    }
  }

  private static String firstOrNull(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private InstanceState find(long id) {
    InstanceState state = instances.get(id);
    if (state == null) {
      throw notFound(id);
    }
    return state;
  }

  private static ApiException notFound(long id) {
    return new ApiException(404, "No element instance found with id " + id);
  }

  private static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  // --- query strings -----------------------------------------------------------------------------------------------

  /** Decodes a raw query; repeated names keep every value in order. */
  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        String value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
        result.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw badRequest("Malformed query string");
      }
    }
    return result;
  }

  /** The raw query with the values of secret parameters replaced by {@code ********}. */
  static String maskQuery(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    StringBuilder masked = new StringBuilder();
    for (String pair : rawQuery.split("&", -1)) {
      if (masked.length() > 0 || rawQuery.startsWith("&")) {
        masked.append('&');
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String name;
      try {
        name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        name = rawName;
      }
      if (equals >= 0 && Secrets.isSecretQueryParameter(name.strip())) {
        masked.append(rawName).append('=').append(Secrets.MASK);
      } else {
        masked.append(pair);
      }
    }
    return masked.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String publicBaseUrl(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null && SAFE_HOST.matcher(host.strip()).matches()) {
      return "http://" + host.strip() + BASE_PATH;
    }
    return baseUrl;
  }

  private static String hostForUrl(InetAddress address) {
    String literal = address.getHostAddress();
    return literal.contains(":") ? "[" + literal + "]" : literal;
  }

  // --- responses ---------------------------------------------------------------------------------------------------

  private ObjectNode instanceJson(InstanceState state) {
    ObjectNode node = mapper.createObjectNode();
    node.put("id", state.id);
    node.put("name", state.name);
    node.put("token", state.token);
    ArrayNode tags = node.putArray("tags");
    state.tags.forEach(tags::add);
    node.put("valid", state.valid);
    node.put("disabled", state.disabled);
    ObjectNode configuration = node.putObject("configuration");
    state.configuration.forEach((key, value) -> {
      if (value != null && Secrets.isSecretKey(key)) {
        configuration.put(key, Secrets.MASK);
      } else {
        configuration.set(key, mapper.valueToTree(value));
      }
    });
    ObjectNode element = node.putObject("element");
    element.put("id", ELEMENT_ID);
    element.put("key", ELEMENT_KEY);
    node.put("createdDate", state.createdDate.toString());
    node.putObject("user").put("id", 1);
    return node;
  }

  private Response json(int status, JsonNode body) {
    try {
      return new Response(status, mapper.writeValueAsBytes(body)).header("Content-Type", "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize a simulator response", e);
    }
  }

  private Response error(String requestId, int status, String message) {
    ObjectNode body = mapper.createObjectNode();
    body.put("requestId", requestId);
    body.put("message", message);
    return json(status, body);
  }

  private void send(HttpExchange exchange, LogEntry entry, Response response) throws IOException {
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
    LOG.debug("Simulator: {} {}{} -> {} (Elements-Request-Id {})", entry.method, entry.path,
        entry.query == null ? "" : "?" + entry.query, response.status, entry.requestId);
  }

  /**
   * Closes the connection without a single byte of response. The JDK server closes the socket itself when an
   * exchange is closed before {@code sendResponseHeaders} and before the response stream was requested, so the
   * client reads end-of-stream (or a reset) where the status line should be, and reports an I/O error.
   */
  private static void drop(HttpExchange exchange, LogEntry entry, String why) {
    entry.status = 0;
    exchange.close();
    LOG.debug("Simulator: {} {} -> connection closed without answer: {} (Elements-Request-Id {})", entry.method,
        entry.path, why, entry.requestId);
  }

  // --- faults and log ----------------------------------------------------------------------------------------------

  private LogEntry record(String requestId, String method, String path, String maskedQuery) {
    LogEntry entry = new LogEntry(requestId, method, path, maskedQuery, Instant.now());
    synchronized (controlLock) {
      log.add(entry);
    }
    return entry;
  }

  /** The body of a request that may have one (read once, up to one byte over the limit), else null. */
  private static byte[] readBodyIfAny(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
      return null;
    }
    try (InputStream in = exchange.getRequestBody()) {
      return in.readNBytes(MAX_BODY_BYTES + 1);
    }
  }

  /** The tags a request carries: its body's {@code tags} array, or its {@code tags[]} query parameters. */
  private List<String> tagsOf(String rawQuery, byte[] body) {
    List<String> tags = new ArrayList<>();
    try {
      tags.addAll(parseQuery(rawQuery).getOrDefault("tags[]", List.of()));
    } catch (ApiException malformed) {
      // answered 400 later; no tags
    }
    if (body != null && body.length > 0 && body.length <= MAX_BODY_BYTES) {
      try {
        JsonNode node = mapper.readTree(body);
        if (node != null && node.path("tags").isArray()) {
          node.path("tags").forEach(t -> {
            if (t.isTextual()) {
              tags.add(t.asText());
            }
          });
        }
      } catch (IOException malformed) {
        // answered 400 later; no tags
      }
    }
    return List.copyOf(tags);
  }

  private Fault takeFault(String method, String path, List<String> tags) {
    synchronized (controlLock) {
      for (int i = 0; i < faults.size(); i++) {
        ArmedFault armed = faults.get(i);
        if (armed.fault.matches(method, path, tags)) {
          if (--armed.remaining <= 0) {
            faults.remove(i);
          }
          return armed.fault;
        }
      }
      return null;
    }
  }

  private RandomFault rollRandomFault() {
    synchronized (controlLock) {
      if (faultRate <= 0 || faultRandom.nextDouble() >= faultRate) {
        return null;
      }
      RandomFault[] kinds = RandomFault.values();
      return kinds[faultRandom.nextInt(kinds.length)];
    }
  }

  private static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis());
    }
  }

  /** Called under {@code stateLock}. */
  private String newToken() {
    byte[] random = new byte[33];
    secureRandom.nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    issuedTokens.add(token);
    return token;
  }

  // --- internal types ----------------------------------------------------------------------------------------------

  private enum RandomFault { HTTP_500, HTTP_503, HTTP_429, RESET, TIMEOUT }

  private static final class ArmedFault {
    final Fault fault;
    int remaining;

    ArmedFault(Fault fault) {
      this.fault = fault;
      this.remaining = fault.times();
    }
  }

  private static final class LogEntry {
    final String requestId;
    final String method;
    final String path;
    final String query;
    final Instant at;
    volatile int status;
    volatile List<String> tags = List.of();

    LogEntry(String requestId, String method, String path, String query, Instant at) {
      this.requestId = requestId;
      this.method = method;
      this.path = path;
      this.query = query;
      this.at = at;
    }

    RecordedRequest toRecord() {
      return new RecordedRequest(method, path, query, status, at, tags);
    }
  }

  /** Mutable instance state, guarded by {@code stateLock}. */
  private static final class InstanceState {
    final long id;
    final Instant createdDate;
    String name;
    String token;
    List<String> tags;
    boolean valid = true;
    boolean disabled;
    Map<String, Object> configuration;

    InstanceState(long id, String name, String token, List<String> tags, Map<String, Object> configuration,
        Instant createdDate) {
      this.id = id;
      this.name = name;
      this.token = token;
      this.tags = tags;
      this.configuration = configuration;
      this.createdDate = createdDate;
    }

    SimulatedInstance snapshot() {
      return new SimulatedInstance(id, name, token, tags, valid, disabled, configuration, createdDate);
    }
  }

  private static final class Response {
    final int status;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Response(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    Response header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  private static final class ApiException extends RuntimeException {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    ApiException withHeader(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }
}
