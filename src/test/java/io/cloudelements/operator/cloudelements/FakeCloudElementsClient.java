package io.cloudelements.operator.cloudelements;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link CloudElementsClient} for unit tests: instances live in a map, failures are
 * scripted per call, and every call is recorded as {@code "METHOD path"}. It keeps the API's rules
 * that the operator relies on: ids and tokens are new for every instance, a re-authorization issues
 * a new token, and a 404 means gone.
 */
public final class FakeCloudElementsClient implements CloudElementsClient {

  /** The calls, as the API names them. */
  public enum Call {
    CREATE,
    FIND_BY_TAG,
    GET,
    UPDATE,
    REAUTHORIZE,
    CONSENT_URL,
    DELETE
  }

  private final Map<Long, RemoteInstance> instances = new TreeMap<>();
  private final Map<Call, Deque<Failure>> failures = new EnumMap<>(Call.class);
  private final List<String> calls = new ArrayList<>();
  private long nextId = 1001;
  private java.util.function.Function<ConsentRequest, String> consentPage =
      r ->
          "https://consent.example.com/authorize?callbackUrl="
              + r.callbackUrl()
              + "&state="
              + r.state();
  private int tokens;
  private Runnable beforeCreate = () -> {};

  /**
   * A scripted failure; {@code applied} means the call takes effect although its caller sees it
   * fail.
   */
  private record Failure(int status, boolean applied) {}

  /** The next call of this kind fails with {@code status} (0: no answer) and changes nothing. */
  public synchronized FakeCloudElementsClient failNext(Call call, int status) {
    failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(new Failure(status, false));
    return this;
  }

  /** The next call of this kind takes effect, but its answer is lost (as with a timeout). */
  public synchronized FakeCloudElementsClient loseNextAnswer(Call call) {
    failures.computeIfAbsent(call, c -> new ArrayDeque<>()).add(new Failure(0, true));
    return this;
  }

  /**
   * Runs as each POST /instances arrives, before it is processed: to see what the caller had done
   * by then.
   */
  public synchronized FakeCloudElementsClient onCreate(Runnable action) {
    this.beforeCreate = action;
    return this;
  }

  /** An instance that exists already, as made by someone else (for adoption). */
  public synchronized RemoteInstance seed(String name, List<String> tags) {
    RemoteInstance instance = new RemoteInstance(nextId++, name, newToken(), tags, true, false);
    instances.put(instance.id(), instance);
    return instance;
  }

  /** Deletes an instance behind the operator's back. */
  public synchronized void deleteOutOfBand(long id) {
    instances.remove(id);
  }

  /** Marks an instance as no longer valid (its authorization expired, say). */
  public synchronized void invalidate(long id) {
    RemoteInstance i = instances.get(id);
    instances.put(
        id, new RemoteInstance(i.id(), i.name(), i.token(), i.tags(), false, i.disabled()));
  }

  public synchronized Optional<RemoteInstance> instance(long id) {
    return Optional.ofNullable(instances.get(id));
  }

  public synchronized List<RemoteInstance> instances() {
    return List.copyOf(instances.values());
  }

  /**
   * What {@code GET /elements/campaignmonitor/oauth/url} answers, e.g. a URL that leaks the
   * consumer secret.
   */
  public synchronized FakeCloudElementsClient consentPage(
      java.util.function.Function<ConsentRequest, String> page) {
    this.consentPage = page;
    return this;
  }

  /** Every call so far, in order, as {@code "METHOD path"}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clearCalls() {
    calls.clear();
  }

  @Override
  public synchronized RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
    beforeCreate.run();
    Optional<Failure> failure = record(Call.CREATE, "POST /instances");
    RemoteInstance created = null;
    if (failure.isEmpty() || failure.get().applied()) {
      created =
          new RemoteInstance(nextId++, desired.name(), newToken(), desired.allTags(), true, false);
      instances.put(created.id(), created);
    }
    throwIf(failure, "POST /instances");
    return created;
  }

  @Override
  public synchronized List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
    throwIf(record(Call.FIND_BY_TAG, "GET /instances?tags[]"), "GET /instances");
    return instances.values().stream().filter(i -> i.tags().contains(tag)).toList();
  }

  @Override
  public synchronized RemoteInstance get(AccountCredentials account, long id) {
    String op = "GET /instances/" + id;
    throwIf(record(Call.GET, op), op);
    return existing(op, id);
  }

  @Override
  public synchronized RemoteInstance update(
      AccountCredentials account, long id, InstancePatch patch) {
    String op = "PATCH /instances/" + id;
    throwIf(record(Call.UPDATE, op), op);
    RemoteInstance i = existing(op, id);
    JsonNode body = patch.body();
    String name = body.has("name") ? body.get("name").asText() : i.name();
    List<String> tags = i.tags();
    if (body.has("tags")) {
      List<String> sent = new ArrayList<>();
      body.get("tags").forEach(t -> sent.add(t.asText()));
      tags = sent;
    }
    RemoteInstance updated = new RemoteInstance(id, name, i.token(), tags, i.valid(), i.disabled());
    instances.put(id, updated);
    return updated;
  }

  @Override
  public synchronized RemoteInstance reauthorize(
      AccountCredentials account, long id, DesiredInstance desired) {
    String op = "PUT /instances/" + id;
    throwIf(record(Call.REAUTHORIZE, op), op);
    RemoteInstance i = existing(op, id);
    RemoteInstance renewed =
        new RemoteInstance(id, i.name(), newToken(), i.tags(), true, i.disabled());
    instances.put(id, renewed);
    return renewed;
  }

  @Override
  public synchronized String consentUrl(AccountCredentials account, ConsentRequest request) {
    String op = "GET /elements/campaignmonitor/oauth/url";
    throwIf(record(Call.CONSENT_URL, op), op);
    return consentPage.apply(request);
  }

  @Override
  public synchronized boolean delete(AccountCredentials account, long id) {
    String op = "DELETE /instances/" + id;
    Optional<Failure> failure = record(Call.DELETE, op);
    boolean existed = false;
    if (failure.isEmpty() || failure.get().applied()) {
      existed = instances.remove(id) != null;
    }
    throwIf(failure, op);
    return existed;
  }

  private Optional<Failure> record(Call call, String what) {
    calls.add(what);
    Deque<Failure> queue = failures.get(call);
    return Optional.ofNullable(queue == null ? null : queue.poll());
  }

  private static void throwIf(Optional<Failure> failure, String operation) {
    if (failure.isPresent()) {
      int status = failure.get().status();
      throw status == 0
          ? CloudElementsException.noAnswer(operation, new java.net.http.HttpTimeoutException("t"))
          : new CloudElementsException(operation, status, "scripted failure", "fake-req", null);
    }
  }

  private RemoteInstance existing(String operation, long id) {
    RemoteInstance i = instances.get(id);
    if (i == null) {
      throw new CloudElementsException(
          operation, 404, "No instance with id " + id, "fake-req", null);
    }
    return i;
  }

  private String newToken() {
    return "fake-token-" + (++tokens);
  }
}
