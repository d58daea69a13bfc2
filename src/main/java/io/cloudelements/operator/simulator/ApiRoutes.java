package io.cloudelements.operator.simulator;

import static io.cloudelements.operator.simulator.ApiException.badRequest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudelements.operator.simulator.RequestBodies.Reauthentication;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which endpoint answers a request, and the endpoints themselves (thin: the rules live in the other
 * rooms).
 */
final class ApiRoutes {

  private static final Pattern INSTANCE_PATH = Pattern.compile("^/instances/([^/]+)$");
  private static final Pattern INSTANCE_ID = Pattern.compile("^[0-9]{1,18}$");
  private static final Pattern TEST_EVENT_PATH =
      Pattern.compile("^/instances/([^/]+)/events/test$");
  private static final Pattern OAUTH_URL_PATH = Pattern.compile("^/elements/([^/]+)/oauth/url$");
  private static final Pattern SAFE_HOST =
      Pattern.compile("^([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$");

  private final InstanceStore store;
  private final RequestBodies bodies;
  private final JsonAnswers answers;
  private final Authorization authorization;
  private final ConsentPage consent;
  private final EventDeliverer events;
  private final String baseUrl;

  ApiRoutes(
      InstanceStore store,
      RequestBodies bodies,
      JsonAnswers answers,
      Authorization authorization,
      ConsentPage consent,
      EventDeliverer events,
      String baseUrl) {
    this.store = store;
    this.bodies = bodies;
    this.answers = answers;
    this.authorization = authorization;
    this.consent = consent;
    this.events = events;
    this.baseUrl = baseUrl;
  }

  Response dispatch(SimulatorRequest request) throws InterruptedException {
    String method = request.method();
    String path = request.path();
    if (request.underBase() && path.equals(ConsentPage.PATH)) {
      requireMethod(method, "GET");
      return consent.answer(QueryStrings.parse(request.rawQuery()));
    }
    if (!request.underBase()) {
      throw new ApiException(
          404, "No resource at this path; the API lives under " + CloudElementsSimulator.BASE_PATH);
    }
    authorization.authenticate(request.headers());
    if (path.equals("/instances")) {
      requireMethod(method, "GET", "POST");
      return method.equals("GET")
          ? listInstances(QueryStrings.parse(request.rawQuery()))
          : createInstance(request);
    }
    Matcher instancePath = INSTANCE_PATH.matcher(path);
    if (instancePath.matches()) {
      requireMethod(method, "GET", "PATCH", "PUT", "DELETE");
      long id = instanceId(instancePath.group(1));
      return switch (method) {
        case "GET" -> answers.json(200, answers.instance(store.get(id)));
        case "PATCH" -> answers.json(200, answers.instance(store.patch(id, bodies.patch(request))));
        case "PUT" -> reauthenticateInstance(request, id);
        default -> deleteInstance(id);
      };
    }
    Matcher testEvent = TEST_EVENT_PATH.matcher(path);
    if (testEvent.matches()) {
      requireMethod(method, "POST");
      return testEvent(instanceId(testEvent.group(1)));
    }
    Matcher oauthUrl = OAUTH_URL_PATH.matcher(path);
    if (oauthUrl.matches()) {
      requireMethod(method, "GET");
      if (!oauthUrl.group(1).equals(CloudElementsSimulator.ELEMENT_KEY)) {
        throw new ApiException(404, "No element found with key " + oauthUrl.group(1));
      }
      return oauthUrl(request, QueryStrings.parse(request.rawQuery()));
    }
    throw new ApiException(404, "No resource at " + CloudElementsSimulator.BASE_PATH + path);
  }

  private Response createInstance(SimulatorRequest request) {
    return answers.json(200, answers.instance(store.create(bodies.creation(request))));
  }

  private Response listInstances(Map<String, List<String>> query) {
    List<String> wanted = query.getOrDefault("tags[]", List.of());
    ArrayNode result = answers.array();
    store.withTags(wanted).forEach(instance -> result.add(answers.instance(instance)));
    return answers.json(200, result);
  }

  private Response reauthenticateInstance(SimulatorRequest request, long id) {
    List<String> reAuthenticate =
        QueryStrings.parse(request.rawQuery()).getOrDefault("reAuthenticate", List.of());
    if (reAuthenticate.size() != 1 || !reAuthenticate.get(0).equalsIgnoreCase("true")) {
      throw badRequest(
          "PUT /instances/{id} is only supported with the query parameter reAuthenticate=true");
    }
    Reauthentication body = bodies.reauthentication(request);
    return answers.json(
        200, answers.instance(store.reauthenticate(id, body.update(), body.code())));
  }

  private Response deleteInstance(long id) {
    store.delete(id);
    return answers.json(200, answers.object());
  }

  /**
   * Delivers a sample event now, and answers what the receiver answered (the delivery itself is a
   * 200).
   */
  private Response testEvent(long id) throws InterruptedException {
    EventDelivery delivery = events.deliverSample(store.get(id));
    ObjectNode body = answers.object();
    body.put("instanceId", delivery.instanceId());
    body.put("webhookId", delivery.webhookId());
    body.put("callbackUrl", delivery.callbackUrl());
    body.put("signed", delivery.signed());
    body.put("signature", delivery.signature());
    body.put("status", delivery.status());
    body.put("delivered", delivery.delivered());
    body.put("error", delivery.error());
    body.put("body", delivery.body());
    return answers.json(200, body);
  }

  private static long instanceId(String idText) {
    if (!INSTANCE_ID.matcher(idText).matches()) {
      throw new ApiException(404, "No element instance found with id " + idText);
    }
    return Long.parseLong(idText);
  }

  private Response oauthUrl(SimulatorRequest request, Map<String, List<String>> query) {
    QueryStrings.require(query, "apiKey");
    QueryStrings.require(query, "apiSecret");
    String callbackUrl = QueryStrings.require(query, "callbackUrl");
    QueryStrings.requireHttpUrl(callbackUrl, "callbackUrl");
    String state = QueryStrings.firstOrNull(query, "state");
    ObjectNode body = answers.object();
    body.put("oauthUrl", consent.url(publicBaseUrl(request), callbackUrl, state));
    body.put("element", CloudElementsSimulator.ELEMENT_KEY);
    return answers.json(200, body);
  }

  /**
   * The base URL as the client named it (so a consent URL works from where it was asked), if it
   * looks safe.
   */
  private String publicBaseUrl(SimulatorRequest request) {
    String host = request.headers().getFirst("Host");
    if (host != null && SAFE_HOST.matcher(host.strip()).matches()) {
      return "http://" + host.strip() + CloudElementsSimulator.BASE_PATH;
    }
    return baseUrl;
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
}
