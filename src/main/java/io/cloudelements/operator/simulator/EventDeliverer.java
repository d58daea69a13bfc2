package io.cloudelements.operator.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a sample Campaign Monitor subscriber event to an instance's callback URL, signed as Cloud
 * Elements signs when the instance holds {@code event.notification.signature.key}, and remembers
 * what each delivery got back. It only sends to loopback addresses: this simulator must never send
 * traffic off the machine.
 */
final class EventDeliverer {

  static final String WEBHOOK_ID_HEADER = "Elements-Webhook-Id";
  static final String SIGNATURE_HEADER = "Elements-Webhook-Signature";

  private static final Logger LOG = LoggerFactory.getLogger(EventDeliverer.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern IP_LITERAL = Pattern.compile("^([0-9.]+|\\[[0-9A-Fa-f:.]+\\])$");
  private static final DateTimeFormatter CAMPAIGN_MONITOR_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ObjectMapper mapper;

  /** Guards deliveries and client. */
  private final Object lock = new Object();

  private final List<EventDelivery> deliveries = new ArrayList<>();

  /** Made on the first delivery, so that a simulator that never delivers holds no client thread. */
  private HttpClient client;

  EventDeliverer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Sends one sample event for {@code instance}; 400 when it has no events enabled or a
   * non-loopback callback.
   */
  EventDelivery deliverSample(SimulatedInstance instance) throws InterruptedException {
    URI callback = loopbackCallback(instance);
    String webhookId = UUID.randomUUID().toString();
    byte[] body = sampleEvent(instance);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(callback)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header(WEBHOOK_ID_HEADER, webhookId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String signature = null;
    if (instance.configuration().get(ConfigurationRules.SIGNATURE_KEY) instanceof String key
        && !key.isEmpty()) {
      signature = "sha256=" + Base64.getEncoder().encodeToString(hmacSha256(key, body));
      request.header(SIGNATURE_HEADER, signature);
    }
    int status = 0;
    String error = null;
    Instant at = Instant.now();
    try {
      status = client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      error = e.toString();
    }
    EventDelivery delivery =
        new EventDelivery(
            instance.id(),
            webhookId,
            callback.toString(),
            signature,
            new String(body, StandardCharsets.UTF_8),
            status,
            error,
            at);
    synchronized (lock) {
      deliveries.add(delivery);
    }
    LOG.debug("Simulator: {}", delivery);
    return delivery;
  }

  /** The deliveries so far, oldest first; {@code instanceId} null: of every instance. */
  List<EventDelivery> deliveries(Long instanceId) {
    synchronized (lock) {
      return deliveries.stream()
          .filter(d -> instanceId == null || d.instanceId() == instanceId)
          .toList();
    }
  }

  private HttpClient client() {
    synchronized (lock) {
      if (client == null) {
        client =
            HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
      }
      return client;
    }
  }

  void reset() {
    synchronized (lock) {
      deliveries.clear();
    }
  }

  private static URI loopbackCallback(SimulatedInstance instance) {
    if (!Boolean.TRUE.equals(instance.configuration().get(ConfigurationRules.EVENTS_ENABLED))) {
      throw ApiException.badRequest(
          "Instance "
              + instance.id()
              + " has no events: "
              + ConfigurationRules.EVENTS_ENABLED
              + " is not true");
    }
    Object url = instance.configuration().get(ConfigurationRules.EVENTS_CALLBACK);
    URI uri;
    try {
      uri = new URI(String.valueOf(url));
    } catch (URISyntaxException e) {
      throw ApiException.badRequest(
          ConfigurationRules.EVENTS_CALLBACK
              + " of instance "
              + instance.id()
              + " is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw ApiException.badRequest(
          ConfigurationRules.EVENTS_CALLBACK
              + " of instance "
              + instance.id()
              + " must be an absolute http(s) URL");
    }
    if (!isLoopback(uri.getHost())) {
      throw ApiException.badRequest(
          "The simulator delivers events only to loopback URLs (127.0.0.1, [::1] or "
              + "localhost), not to host "
              + uri.getHost());
    }
    return uri;
  }

  /** True for {@code localhost} and loopback IP literals; other names are never resolved. */
  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IP_LITERAL.matcher(host).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A Campaign Monitor "Subscribe" webhook, wrapped as Cloud Elements wraps events. */
  private byte[] sampleEvent(SimulatedInstance instance) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String email = "subscriber-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    Object lists = instance.configuration().get("events.list.ids");
    String listId =
        lists instanceof String text && !text.isBlank()
            ? text.split(",")[0].strip()
            : "96c0bbdaa54760c8d9e62a2b7ffa2e13";
    ObjectNode root = mapper.createObjectNode();
    ObjectNode message = root.putObject("message");
    message.put("eventId", UUID.randomUUID().toString());
    ObjectNode event = message.putArray("events").addObject();
    event.put("objectType", "subscribers");
    event.put("objectId", email);
    event.put("eventType", "CREATED");
    event.put("elementKey", CloudElementsSimulator.ELEMENT_KEY);
    event.put("date", now.toString());
    ObjectNode raw = message.putObject("raw");
    raw.put("ListID", listId);
    ObjectNode subscribe = raw.putArray("Events").addObject();
    subscribe.put("Type", "Subscribe");
    subscribe.put("Date", CAMPAIGN_MONITOR_DATE.format(now));
    subscribe.put("EmailAddress", email);
    subscribe.put("Name", "Sample Subscriber");
    subscribe.putArray("CustomFields");
    subscribe.put("SignupIPAddress", "127.0.0.1");
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize a sample event", e);
    }
  }

  private static byte[] hmacSha256(String key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
