package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The CRUD dispatcher of the mock API server, counting requests by verb (as the API server's audit log would:
 * get, list, watch, create, update, patch, delete) and letting tests intercept requests before they are applied.
 * Unlike the plain CRUD dispatcher, a PUT to a status subresource with a stale {@code metadata.resourceVersion}
 * answers 409, as the API server does: optimistic locking of status updates works here too.
 */
public final class ObservedCrudDispatcher extends KubernetesCrudDispatcher {

  /** Sees a request before it is applied; returns a response to answer instead, or null to proceed. */
  public interface Interceptor extends Function<RecordedRequest, MockResponse> {
  }

  private final Map<String, LongAdder> verbs = new ConcurrentHashMap<>();
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
  private final Object statusUpdates = new Object();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    verbs.computeIfAbsent(verb(request), v -> new LongAdder()).increment();
    for (Interceptor interceptor : interceptors) {
      MockResponse answer = interceptor.apply(request);
      if (answer != null) {
        return answer;
      }
    }
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
    String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase();
    String path = request.getPath() == null ? "" : request.getPath();
    return switch (method) {
      case "GET" -> path.contains("watch=true") ? "watch" : isCollection(path) ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase();
    };
  }

  /** A collection path ends in a plural resource name: /api/v1/namespaces/ns/secrets, /apis/g/v/kinds. */
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
}
