package io.cloudelements.operator.cloudelements;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CloudElementsClient} over HTTPS with the JDK HTTP client; certificates are verified by the
 * JDK.
 */
public class HttpCloudElementsClient implements CloudElementsClient {

  private static final Logger LOG = LoggerFactory.getLogger(HttpCloudElementsClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST_ID_HEADER = "Elements-Request-Id";

  private final URI baseUrl;
  private final Duration timeout;
  private final HttpClient http;

  public HttpCloudElementsClient(URI baseUrl, Duration timeout) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
    String body = InstanceRequestBody.create(desired).toString();
    JsonNode answer =
        send(
            "POST /instances",
            account,
            secretsOf(account, desired),
            request("/instances", account).POST(HttpRequest.BodyPublishers.ofString(body)));
    return toInstance(answer);
  }

  @Override
  public List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
    String query = "?tags%5B%5D=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    try {
      JsonNode answer =
          send(
              "GET /instances?tags[]",
              account,
              secretsOf(account, null),
              request("/instances" + query, account).GET());
      List<RemoteInstance> found = new ArrayList<>();
      answer.forEach(node -> found.add(toInstance(node)));
      return found;
    } catch (CloudElementsException e) {
      if (e.isNotFound()) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public RemoteInstance get(AccountCredentials account, long id) {
    return toInstance(
        send(
            "GET /instances/" + id,
            account,
            secretsOf(account, null),
            request("/instances/" + id, account).GET()));
  }

  @Override
  public RemoteInstance update(AccountCredentials account, long id, InstancePatch patch) {
    List<String> secrets = new ArrayList<>(secretsOf(account, null));
    secrets.addAll(patch.secretValues());
    return toInstance(
        send(
            "PATCH /instances/" + id,
            account,
            secrets,
            request("/instances/" + id, account)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.body().toString()))));
  }

  @Override
  public RemoteInstance reauthorize(AccountCredentials account, long id, DesiredInstance desired) {
    String body = InstanceRequestBody.reauthorization(desired).toString();
    return toInstance(
        send(
            "PUT /instances/" + id + "?reAuthenticate=true",
            account,
            secretsOf(account, desired),
            request("/instances/" + id + "?reAuthenticate=true", account)
                .PUT(HttpRequest.BodyPublishers.ofString(body))));
  }

  @Override
  public String consentUrl(AccountCredentials account, ConsentRequest consent) {
    String query =
        "?apiKey="
            + encode(consent.consumerKey())
            + "&apiSecret="
            + encode(consent.consumerSecret())
            + "&callbackUrl="
            + encode(consent.callbackUrl())
            + "&state="
            + encode(consent.state());
    List<String> secrets = new ArrayList<>(secretsOf(account, null));
    secrets.addAll(List.of(consent.consumerKey(), consent.consumerSecret(), consent.state()));
    JsonNode answer =
        send(
            "GET /elements/campaignmonitor/oauth/url",
            account,
            secrets,
            request("/elements/campaignmonitor/oauth/url" + query, account).GET());
    String url = answer.path("oauthUrl").asText("");
    if (url.isBlank()) {
      throw new CloudElementsException(
          "GET /elements/campaignmonitor/oauth/url",
          502,
          "the answer holds no oauthUrl",
          null,
          null);
    }
    return url;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean delete(AccountCredentials account, long id) {
    try {
      send(
          "DELETE /instances/" + id,
          account,
          secretsOf(account, null),
          request("/instances/" + id, account).DELETE());
      return true;
    } catch (CloudElementsException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The JDK's refusal of a header value quotes the value, secrets and all: it is replaced by one
   * that does not.
   */
  private HttpRequest.Builder request(String path, AccountCredentials account) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    try {
      builder.header("Authorization", account.authorizationHeader());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the credentials hold a character that an HTTP header cannot carry");
    }
    return builder.header("Content-Type", "application/json").header("Accept", "application/json");
  }

  private JsonNode send(
      String operation,
      AccountCredentials account,
      Collection<String> secrets,
      HttpRequest.Builder builder) {
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.debug("{} got no answer: {}", operation, e.getClass().getSimpleName());
      throw CloudElementsException.noAnswer(operation, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CloudElementsException.noAnswer(operation, e);
    }
    String requestId = response.headers().firstValue(REQUEST_ID_HEADER).orElse(null);
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 == 2) {
      LOG.debug("{} answered {} (requestId {})", operation, response.statusCode(), requestId);
      return body;
    }
    String message = body.path("message").asText(null);
    if (body.hasNonNull("providerMessage")) {
      message =
          (message == null ? "" : message + "; ")
              + "provider: "
              + body.get("providerMessage").asText();
    }
    if (requestId == null && body.hasNonNull("requestId")) {
      requestId = body.get("requestId").asText();
    }
    CloudElementsException failure =
        new CloudElementsException(
            operation,
            response.statusCode(),
            scrub(message, secrets),
            requestId,
            retryAfter(response));
    LOG.info("{}", failure.getMessage());
    throw failure;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static RemoteInstance toInstance(JsonNode node) {
    List<String> tags = new ArrayList<>();
    node.path("tags").forEach(t -> tags.add(t.asText()));
    return new RemoteInstance(
        node.path("id").asLong(),
        node.path("name").asText(null),
        node.path("token").asText(null),
        tags,
        node.path("valid").asBoolean(true),
        node.path("disabled").asBoolean(false));
  }

  /** Honours {@code Retry-After} in seconds or as an HTTP date. */
  static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(String::trim)
        .map(
            v -> {
              try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
              } catch (NumberFormatException notSeconds) {
                try {
                  Duration d =
                      Duration.between(
                          ZonedDateTime.now(),
                          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                  return d.isNegative() ? Duration.ZERO : d;
                } catch (RuntimeException notADate) {
                  return null;
                }
              }
            })
        .orElse(null);
  }

  /** Removes any secret value that an error message might echo back. */
  static String scrub(String message, Collection<String> secrets) {
    if (message == null) {
      return null;
    }
    String scrubbed = message;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        scrubbed = scrubbed.replace(secret, "****");
      }
    }
    return scrubbed;
  }

  private static List<String> secretsOf(AccountCredentials account, DesiredInstance desired) {
    Stream<String> auth = Stream.empty();
    if (desired != null && desired.authorization() instanceof DesiredInstance.OAuth o) {
      auth = Stream.of(o.consumerKey(), o.consumerSecret(), o.authorizationCode());
    } else if (desired != null && desired.authorization() instanceof DesiredInstance.Basic b) {
      auth = Stream.of(b.apiKey());
    }
    Stream<String> signatureKey =
        desired != null && desired.events() != null
            ? Stream.ofNullable(desired.events().signatureKey())
            : Stream.empty();
    return Stream.of(
            Stream.of(account.userSecret(), account.organizationSecret()), auth, signatureKey)
        .flatMap(s -> s)
        .filter(Objects::nonNull)
        .toList();
  }
}
