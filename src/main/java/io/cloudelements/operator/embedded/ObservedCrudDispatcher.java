package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRUD dispatcher of the mock API server, counting requests by verb (as the API server's audit
 * log would: get, list, watch, create, update, patch, delete), letting tests intercept requests
 * before they are applied, and adding a latency to its answers (see {@link #setLatency}). On top of
 * the mock's store it serves what real kubectl needs: discovery, the OpenAPI v3 that kubectl apply
 * reads, server-side Tables, field selectors on any field, merge patches as RFC 7386 and strategic
 * ones, and watches over plain HTTP. Unlike the plain CRUD dispatcher, a PUT to a status
 * subresource with a stale {@code metadata.resourceVersion} answers 409, as the API server does:
 * optimistic locking of status updates works here too. A named object is found through an {@link
 * ObjectIndex} rather than by matching every stored object, so a request costs about the same at 10
 * objects as at 30,000; deleting an object deletes its dependents ({@link GarbageCollector}).
 */
public final class ObservedCrudDispatcher extends KubernetesCrudDispatcher {

  /**
   * Changes kept for plain-HTTP watches; an older resource version gets 410 Gone and lists again.
   */
  private static final int CHANGES_KEPT = 2_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(ObservedCrudDispatcher.class);

  /**
   * Sees a request before it is applied; returns a response to answer instead, or null to proceed.
   */
  public interface Interceptor extends Function<RecordedRequest, MockResponse> {}

  /**
   * The User-Agent of {@link EmbeddedKubernetes#client()}: its requests (setting up, inspecting)
   * get no latency.
   */
  public static final String ADMIN_AGENT = "embedded-kubernetes-admin";

  private final Map<String, LongAdder> verbs = new ConcurrentHashMap<>();
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
  private final List<ServedResource> resources;
  private final ApiDiscovery discovery;
  private final OpenApiV3 openApi;
  private final ReadAnswers reads;
  private final ChangeLog changes = new ChangeLog(CHANGES_KEPT);
  private final ObjectIndex index = new ObjectIndex();
  private final GarbageCollector garbageCollector =
      new GarbageCollector(this::handleDelete, this::uidAt);
  private final HttpWatch httpWatch;
  private volatile Latency latency = Latency.NONE;
  private final Object statusUpdates = new Object();

  /**
   * @param resources the types this server serves, for discovery, tables and watches
   */
  public ObservedCrudDispatcher(List<ServedResource> resources) {
    this.resources = List.copyOf(resources);
    this.discovery = new ApiDiscovery(this.resources);
    this.openApi = new OpenApiV3(this.resources);
    this.reads = new ReadAnswers(this.resources, new ServerSideTables(this.resources));
    this.httpWatch = new HttpWatch(changes, this.resources, this::handleGet);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String verb = verb(request);
    verbs.computeIfAbsent(verb, v -> new LongAdder()).increment();
    MockResponse answer = answer(request);
    Duration delay =
        verb.equals("watch") || ADMIN_AGENT.equals(request.getHeader("User-Agent"))
            ? Duration.ZERO
            : latency.next();
    return delay.isZero() ? answer : answer.setBodyDelay(delay);
  }

  /**
   * Answers every request but a watch, and but those of the admin client, {@code latency} ± up to
   * {@code jitter} later (uniformly, in whole milliseconds), without holding the server's event
   * loop: the change is applied at once, its answer (headers and body) is sent after the delay. An
   * answer without a body is not delayed.
   */
  public void setLatency(Duration latency, Duration jitter) {
    this.latency = new Latency(latency, jitter);
  }

  /** The latency to add to the next answer. */
  record Latency(Duration base, Duration jitter) {

    static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

    Latency {
      if (base.isNegative() || jitter.isNegative() || jitter.compareTo(base) > 0) {
        throw new IllegalArgumentException(
            "the latency and its jitter must be 0 or more, the jitter at most the "
                + "latency, but were "
                + base
                + " and "
                + jitter);
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

  private MockResponse answer(RecordedRequest request) {
    for (Interceptor interceptor : interceptors) {
      MockResponse answer = interceptor.apply(request);
      if (answer != null) {
        return answer;
      }
    }
    Optional<ResourcePath> object =
        ResourcePath.parse(request.getPath(), resources).filter(p -> p.name() != null);
    if (MergePatches.isMergePatch(request) && object.isPresent()) {
      try {
        return super.dispatch(
            MergePatches.asJsonPatch(request, stored(request.getPath())).orElse(request));
      } catch (IOException e) {
        return HttpWatch.status(400, "BadRequest", "the patch is not JSON: " + e.getMessage());
      }
    }
    if ("PUT".equalsIgnoreCase(request.getMethod())
        && ResourcePath.bare(request.getPath()).endsWith("/status")) {
      synchronized (statusUpdates) {
        String stale = staleResourceVersion(request);
        return stale != null
            ? HttpWatch.status(
                409,
                "Conflict",
                "Operation cannot be fulfilled: the object has "
                    + "been modified (resourceVersion "
                    + stale
                    + " is stale); please apply your changes to the latest "
                    + "version and try again")
            : super.dispatch(request);
      }
    }
    if (!"GET".equalsIgnoreCase(request.getMethod())) {
      return super.dispatch(request);
    }
    String bare = ResourcePath.bare(request.getPath());
    Optional<MockResponse> document = discovery.answer(bare).or(() -> openApi.answer(bare));
    if (document.isPresent()) {
      return document.get();
    }
    if (HttpWatch.isHttpWatch(request)) {
      return httpWatch.answer(request);
    }
    return reads.shape(request, super.dispatch(ReadAnswers.withoutFieldSelector(request)));
  }

  /** The resourceVersion a status PUT sent when it is not the stored one, else null. */
  private String staleResourceVersion(RecordedRequest request) {
    try {
      String sent =
          JSON.readTree(request.getBody().getBytes())
              .path("metadata")
              .path("resourceVersion")
              .asText("");
      if (sent.isEmpty()) {
        return null;
      }
      String path = ResourcePath.bare(request.getPath());
      MockResponse current = handleGet(path.substring(0, path.length() - "/status".length()));
      if (current.code() != 200) {
        return null;
      }
      String stored =
          JSON.readTree(current.getBody().getBytes())
              .path("metadata")
              .path("resourceVersion")
              .asText("");
      return sent.equals(stored) ? null : sent;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Optional<String> uidAt(String path) {
    try {
      return stored(path)
          .map(object -> object.path("metadata").path("uid").asText(""))
          .filter(uid -> !uid.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<JsonNode> stored(String path) throws IOException {
    MockResponse current = handleGet(ResourcePath.bare(path));
    return current.code() == 200
        ? Optional.of(JSON.readTree(current.getBody().readUtf8()))
        : Optional.empty();
  }

  /**
   * Records every change of the store for {@link HttpWatch}, then lets the mock notify its
   * WebSocket watches.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    String oldState = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    index.replaced(oldAttributes, storedKey(pathAttributes, resource, newState), newState);
    if (Objects.equals(oldState, newState)) {
      return;
    }
    try {
      JsonNode before = oldState == null ? null : JSON.readTree(oldState);
      JsonNode now = newState == null ? null : JSON.readTree(newState);
      if (now == null) {
        ObjectNode deleted = (ObjectNode) before;
        long version = requestResourceVersion();
        ((ObjectNode) deleted.path("metadata")).put("resourceVersion", String.valueOf(version));
        changes.record(new ChangeLog.Change(version, ChangeLog.Type.DELETED, deleted.toString()));
      } else {
        long version = Long.parseLong(now.path("metadata").path("resourceVersion").asText("0"));
        changes.record(
            new ChangeLog.Change(
                version,
                oldState == null ? ChangeLog.Type.ADDED : ChangeLog.Type.MODIFIED,
                newState));
      }
      objectPath(path, now != null ? now : before)
          .ifPresent(object -> garbageCollector.changed(object, before, now));
    } catch (IOException | NumberFormatException | ClassCastException e) {
      LOG.warn(
          "A change at {} is not JSON with a numeric resourceVersion; plain-HTTP watches will miss it",
          path);
    }
  }

  /**
   * The path of the object a request at {@code path} (its collection, itself, its status) changed.
   */
  private Optional<String> objectPath(String path, JsonNode object) {
    String name = object.path("metadata").path("name").asText("");
    String bare = ResourcePath.bare(path).replaceAll("/status$", "");
    return name.isEmpty()
        ? Optional.empty()
        : ResourcePath.parse(bare, resources).map(p -> p.collectionPath() + "/" + name);
  }

  /** The key the store has just put {@code newState} under, as the mock's processEvent makes it. */
  private AttributeSet storedKey(
      AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    if (newState == null) {
      return null;
    }
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet key =
        resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    return key.containsKey("plural") ? key : AttributeSet.merge(pathAttributes, key);
  }

  /** One named object from the index; anything else (lists, selectors) from the whole store. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    return ObjectIndex.identity(query).isPresent()
        ? index.find(query).orElse(null)
        : super.findResource(query);
  }

  /** A GET of one named object answers from the index, as a real API server reads one key. */
  @Override
  public MockResponse handleGet(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    if (ObjectIndex.identity(query).isEmpty()) {
      return super.handleGet(path);
    }
    return index
        .find(query)
        .map(found -> new MockResponse().setResponseCode(200).setBody(found.getValue()))
        .orElseGet(() -> new MockResponse().setResponseCode(404));
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
    garbageCollector.clear();
  }

  /** Stops the background garbage collection. */
  void close() {
    garbageCollector.close();
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
