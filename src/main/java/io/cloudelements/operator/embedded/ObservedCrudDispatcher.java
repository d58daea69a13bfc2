package io.cloudelements.operator.embedded;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
 */
public final class ObservedCrudDispatcher extends KubernetesCrudDispatcher {

  /** Sees a request before it is applied; returns a response to answer instead, or null to proceed. */
  public interface Interceptor extends Function<RecordedRequest, MockResponse> {
  }

  private final Map<String, LongAdder> verbs = new ConcurrentHashMap<>();
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    verbs.computeIfAbsent(verb(request), v -> new LongAdder()).increment();
    for (Interceptor interceptor : interceptors) {
      MockResponse answer = interceptor.apply(request);
      if (answer != null) {
        return answer;
      }
    }
    return super.dispatch(request);
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
