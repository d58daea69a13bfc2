package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Suite 2, upstream faults: 200 resources against a simulator that fails 20% of all calls with an
 * even mix of 500, 503, 429 (Retry-After: 1), connection resets and timeouts. A "timeout" hangs
 * longer than the operator's request timeout and is then processed anyway, as a slow real API
 * would: a POST that timed out still creates its instance.
 *
 * <p>All end Ready with exactly one remote instance each, and the number of calls stays within the
 * bound derived from the retry policy (see {@link #assertRequestBound}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamFaultsIT {

  static final String BUG_UNANSWERED_POST =
      "bug: a POST that timed out but is processed later leaves a second "
          + "remote instance (RemoteCreation posts again right after an unanswered POST); see docs/reliability.md";

  static final int RESOURCES = Integer.getInteger("reliability.faults.resources", 200);
  static final int OAUTH_EVERY = 4;
  static final double FAULT_RATE = 0.20;
  static final long SEED = Long.getLong("reliability.faults.seed", 7);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  static final Duration HANG = Duration.ofMillis(1500);
  static final Duration INITIAL = Duration.ofMillis(200);
  static final Duration CAP = Duration.ofSeconds(2);

  /**
   * Reconciles a resource gets from events rather than from its retry timer in this scenario: its
   * creation, its output Secret's creation and its own input Secret arriving in the informer after
   * the resource; plus one for the operator's own metadata patch (finalizer and create intent),
   * whose event JOSDK normally filters. (The in-use finalizer added to the shared credentials
   * Secret reconciles no resource: the Secret informer drops finalizer-only updates.)
   */
  static final int EVENTS_PER_RESOURCE = 4;

  /**
   * A reconcile calls Cloud Elements at most twice: tag lookup then POST, or GET by id then PATCH.
   */
  static final int CALLS_PER_RECONCILE = 2;

  private static OperatorStack stack;
  private static final List<String> names = new ArrayList<>();
  private static Map<String, CampaignMonitorInstance> byName;
  private static Duration toReady;

  @BeforeAll
  static void start() throws Exception {
    stack =
        OperatorStack.builder()
            .namespace("load")
            .requestTimeout(REQUEST_TIMEOUT)
            .backoff(INITIAL, CAP)
            .resync(Duration.ofMinutes(10))
            .start();
    runTheLoad();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Applies the resources, waits until all are Ready and every hung call has been processed. */
  static void runTheLoad() throws Exception {
    stack.simulator().setRandomTimeout(HANG);
    stack.simulator().setFaultRate(FAULT_RATE, SEED);
    stack.credentials("load-account");
    Instant started = Instant.now();
    for (int i = 0; i < RESOURCES; i++) {
      String name = "r" + i;
      names.add(name);
      if (i % OAUTH_EVERY == 0) {
        stack.createSecret(
            name + "-app",
            Map.of("consumerKey", stack.canary("ck"), "consumerSecret", stack.canary("cs")));
        stack.createSecret(name + "-grant", Map.of("code", stack.canary("code")));
        stack.apply(
            InstanceYaml.oauth(name, name, "tags: [load]")
                .replace(name + "-account", "load-account"));
      } else {
        stack.createSecret(name + "-key", Map.of("apiKey", stack.canary("apikey")));
        stack.apply(
            InstanceYaml.basic(name, name, "tags: [load]")
                .replace(name + "-account", "load-account"));
      }
    }

    // Until the unanswered-POST bug is fixed, some resources end Stalled instead of Ready (see
    // lateCreateVictim):
    // wait until every resource is Ready or Stalled.
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> stack.all().stream().filter(cr -> ready(cr) || stalled(cr)).count() == RESOURCES);
    toReady = Duration.between(started, Instant.now());
    // Hung calls are processed after their hang: wait for them, and for any reconcile they cause.
    assertThat(stack.simulator().awaitIdle(HANG.multipliedBy(3))).isTrue();
    Thread.sleep(HANG.toMillis() + 1000);
    assertThat(stack.simulator().awaitIdle(HANG.multipliedBy(3))).isTrue();
    stack.simulator().setFaultRate(0, 0);
    byName =
        stack.all().stream().collect(Collectors.toMap(cr -> cr.getMetadata().getName(), cr -> cr));
    writeReport(stats(byName), toReady, duplicated());
  }

  @Test
  @Order(1)
  void allEndReadyWithTheirSecretAndStatusRecordingTheInstanceTheyCreated() {
    assertThat(byName).hasSize(RESOURCES);
    for (String name : names) {
      CampaignMonitorInstance cr = byName.get(name);
      if (lateCreateVictim(cr)) {
        continue; // the unanswered-POST bug: see
        // allEndReadyAndNoResourceHasMoreThanOneRemoteInstance
      }
      assertThat(ready(cr)).as(name + " Ready").isTrue();
      long id = cr.getStatus().getInstanceId();
      SimulatedInstance recorded = stack.simulator().instance(id).orElseThrow();
      assertThat(recorded.tags()).contains(OwnershipTag.of(cr));
      assertRecorded(cr, recorded);
    }
  }

  @Test
  @Order(2)
  void theCallsStayWithinTheBoundOfTheRetryPolicy() {
    assertRequestBound(stats(byName));
  }

  /**
   * After a 429 with {@code Retry-After: 1}, the resource's next call comes at least 1 s later. A
   * resource's first two calls are left out: a reconcile that an event triggers (its output
   * Secret's creation, say) may come sooner.
   */
  @Test
  @Order(3)
  void aRateLimitedResourceWaitsForRetryAfter() {
    Map<String, List<RecordedRequest>> byResource = callsByResource(byName);
    List<Long> gaps = new ArrayList<>();
    byResource.forEach(
        (name, calls) -> {
          for (int i = 2; i < calls.size() - 1; i++) {
            if (calls.get(i).status() == 429) {
              gaps.add(Duration.between(calls.get(i).at(), calls.get(i + 1).at()).toMillis());
            }
          }
        });
    System.out.println(
        "UpstreamFaultsIT: gaps after a 429 (ms): " + gaps.stream().sorted().toList());
    assertThat(gaps).as("gaps after a 429 answered Retry-After: 1").allMatch(g -> g >= 950);
  }

  @Test
  @Order(4)
  void allEndReadyAndNoResourceHasMoreThanOneRemoteInstance() {
    assertThat(names).allMatch(name -> ready(byName.get(name)), "Ready");
    assertThat(duplicated()).as("resources with other than exactly one remote instance").isEmpty();
    assertThat(stack.simulator().instances()).hasSize(RESOURCES);
  }

  @Test
  @Order(5)
  void nothingSecretInLogsEventsStatusOrRequestLog() {
    LeakScanner.assertClean(stack.visible(), stack.secretValues());
  }

  /**
   * The duplicate of {@link #noResourceHasMoreThanOneRemoteInstance}, made deterministic: one POST
   * hangs past the request timeout and is processed afterwards; the operator must not leave two
   * instances.
   */
  @Test
  @Order(6)
  void aPostThatTimedOutButWasProcessedLaterLeavesOneInstance() throws Exception {
    stack.createSecret("late-key", Map.of("apiKey", stack.canary("apikey")));
    stack
        .simulator()
        .inject(
            Fault.delay(REQUEST_TIMEOUT.plusMillis(500))
                .on("POST", "/instances")
                .withTag("late-post"));
    stack.apply(
        InstanceYaml.basic("late", "late", "tags: [late-post]")
            .replace("late-account", "load-account"));
    CampaignMonitorInstance cr = stack.awaitReason("late", "Available", Duration.ofSeconds(30));
    assertThat(stack.simulator().awaitIdle(Duration.ofSeconds(10))).isTrue();
    Thread.sleep(1000);

    assertThat(stack.remoteOf(cr))
        .extracting(SimulatedInstance::id)
        .containsExactly(cr.getStatus().getInstanceId());
  }

  private static List<String> duplicated() {
    List<String> duplicated = new ArrayList<>();
    for (String name : names) {
      CampaignMonitorInstance cr = byName.get(name);
      List<SimulatedInstance> owned = stack.remoteOf(cr);
      if (owned.size() != 1) {
        duplicated.add(
            name
                + " has "
                + owned.size()
                + " instances "
                + owned.stream().map(SimulatedInstance::id).toList()
                + ", recorded "
                + cr.getStatus().getInstanceId()
                + ", Ready reason "
                + cr.getStatus().condition("Ready").map(Condition::getReason).orElse("-"));
      }
    }
    return duplicated;
  }

  private static boolean stalled(CampaignMonitorInstance cr) {
    return cr != null
        && cr.getStatus() != null
        && cr.getStatus().condition("Stalled").map(Condition::isTrue).orElse(false);
  }

  /**
   * The signatures of the unanswered-POST bug: two late POSTs gave two instances (Stalled
   * DuplicateInstances), or, with oauth, the late POST used the code and created the instance
   * between the retry's tag lookup and its POST (Stalled RequestRejected "already used", while an
   * instance with the resource's tag exists).
   */
  private static boolean lateCreateVictim(CampaignMonitorInstance cr) {
    if (!stalled(cr)) {
      return false;
    }
    Condition ready = cr.getStatus().condition("Ready").orElseThrow();
    return ready.getReason().equals("DuplicateInstances")
        || ready.getReason().equals("RequestRejected")
            && ready.getMessage().contains("already used")
            && !stack.remoteOf(cr).isEmpty();
  }

  private static boolean ready(CampaignMonitorInstance cr) {
    return cr != null
        && cr.getStatus() != null
        && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
  }

  private static void assertRecorded(CampaignMonitorInstance cr, SimulatedInstance instance) {
    Secret secret = stack.secret(cr.getMetadata().getName() + "-instance").orElseThrow();
    assertThat(decoded(secret, "id")).isEqualTo(Long.toString(instance.id()));
    assertThat(decoded(secret, "token")).isEqualTo(instance.token());
    assertThat(cr.getStatus().getInstanceId()).isEqualTo(instance.id());
    assertThat(cr.getStatus().getTokenFingerprint()).isEqualTo(Fingerprints.of(instance.token()));
  }

  /**
   * Calls and failed calls per resource, attributed by ownership tag (query or body) or by instance
   * id.
   */
  record Stats(
      Map<String, Integer> calls,
      Map<String, Integer> failures,
      int total,
      int unattributed,
      Map<String, Integer> byOutcome,
      Map<String, Integer> byOperation) {}

  /** Each resource's calls in arrival order, attributed as in {@link #stats}. */
  private static Map<String, List<RecordedRequest>> callsByResource(
      Map<String, CampaignMonitorInstance> byName) {
    Map<String, String> nameByTag = new HashMap<>();
    byName.values().forEach(cr -> nameByTag.put(OwnershipTag.of(cr), cr.getMetadata().getName()));
    Map<String, String> nameById = new HashMap<>();
    stack
        .simulator()
        .instances()
        .forEach(
            i ->
                i.tags().stream()
                    .filter(nameByTag::containsKey)
                    .findFirst()
                    .ifPresent(tag -> nameById.put("/instances/" + i.id(), nameByTag.get(tag))));
    Map<String, List<RecordedRequest>> calls = new TreeMap<>();
    for (RecordedRequest r : stack.simulator().requests()) {
      String owner =
          r.tags().stream()
              .filter(nameByTag::containsKey)
              .map(nameByTag::get)
              .findFirst()
              .orElse(nameById.get(r.path()));
      if (owner != null) {
        calls.computeIfAbsent(owner, k -> new ArrayList<>()).add(r);
      }
    }
    return calls;
  }

  private static Stats stats(Map<String, CampaignMonitorInstance> byName) {
    Map<String, String> nameByTag = new HashMap<>();
    byName.values().forEach(cr -> nameByTag.put(OwnershipTag.of(cr), cr.getMetadata().getName()));
    Map<String, String> nameById = new HashMap<>();
    stack
        .simulator()
        .instances()
        .forEach(
            i ->
                i.tags().stream()
                    .filter(nameByTag::containsKey)
                    .findFirst()
                    .ifPresent(tag -> nameById.put("/instances/" + i.id(), nameByTag.get(tag))));
    Map<String, Integer> calls = new TreeMap<>();
    Map<String, Integer> failures = new TreeMap<>();
    Map<String, Integer> byOutcome = new TreeMap<>();
    Map<String, Integer> byOperation = new TreeMap<>();
    int unattributed = 0;
    List<RecordedRequest> requests = stack.simulator().requests();
    for (RecordedRequest r : requests) {
      String owner =
          r.tags().stream()
              .filter(nameByTag::containsKey)
              .map(nameByTag::get)
              .findFirst()
              .orElse(nameById.get(r.path()));
      String outcome = r.status() == 0 ? "no answer" : Integer.toString(r.status());
      byOutcome.merge(outcome, 1, Integer::sum);
      byOperation.merge(
          r.method()
              + " "
              + (r.path().startsWith("/instances/")
                  ? "/instances/{id}"
                  : r.path() + (r.query() == null ? "" : "?tags[]")),
          1,
          Integer::sum);
      if (owner == null) {
        unattributed++;
        continue;
      }
      calls.merge(owner, 1, Integer::sum);
      if (failed(r)) {
        failures.merge(owner, 1, Integer::sum);
      }
    }
    return new Stats(calls, failures, requests.size(), unattributed, byOutcome, byOperation);
  }

  /**
   * An injected failure: 500, 503, 429 or no answer (reset, timeout). A 404 of the tag search is an
   * answer.
   */
  private static boolean failed(RecordedRequest r) {
    return r.status() == 0 || r.status() == 500 || r.status() == 503 || r.status() == 429;
  }

  /**
   * The bound, from the retry policy. A reconcile stops at its first failed call and schedules
   * exactly one retry (after the backoff delay, or the Retry-After when longer), and it makes at
   * most {@value #CALLS_PER_RECONCILE} calls. Reconciles come from retries or from events, at most
   * {@value #EVENTS_PER_RESOURCE} per resource here. So, per resource, {@code calls ≤ 2 × (events +
   * failed calls)}; summed, {@code R ≤ 2 × (5 × 200 + F)}. With a fault rate p, F ≈ p·R, which
   * gives R ≲ 2 × 4 × 200 / (1 − 2p) = 2667 for p = 0.2: the retries can never add up to a storm.
   * Also, no call is made for a resource after it is Ready (resync is 10 min).
   */
  private static void assertRequestBound(Stats stats) {
    assertThat(stats.unattributed()).as("calls that belong to no resource").isZero();
    for (Map.Entry<String, Integer> e : stats.calls().entrySet()) {
      int failed = stats.failures().getOrDefault(e.getKey(), 0);
      assertThat(e.getValue())
          .as("calls of " + e.getKey() + " with " + failed + " failed")
          .isLessThanOrEqualTo(CALLS_PER_RECONCILE * (EVENTS_PER_RESOURCE + failed));
    }
    int failedTotal = stats.failures().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(stats.total())
        .isLessThanOrEqualTo(CALLS_PER_RECONCILE * (EVENTS_PER_RESOURCE * RESOURCES + failedTotal));
    double worstCase =
        CALLS_PER_RECONCILE
            * EVENTS_PER_RESOURCE
            * RESOURCES
            / (1 - CALLS_PER_RECONCILE * FAULT_RATE);
    assertThat(stats.total()).isLessThanOrEqualTo((int) worstCase);
  }

  private static void writeReport(Stats stats, Duration toReady, List<String> duplicated)
      throws Exception {
    int failedTotal = stats.failures().values().stream().mapToInt(Integer::intValue).sum();
    int max = stats.calls().values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Map<Integer, Long> histogram =
        stats.calls().values().stream()
            .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
    String report =
        """
        # Upstream faults

        %d resources (every %dth oauth), fault rate %.0f%% (seed %d), request timeout %s, hang %s, backoff %s..%s
        settled after %.1f s (Ready, or Stalled by the unanswered-POST bug: %s); duplicates: %s
        calls: %d (%d failed, %d unattributed); bound per resource 2 x (%d + failed); total bound %d; worst case %d
        by outcome: %s
        by operation: %s
        calls per resource (calls -> resources): %s; max %d
        """
            .formatted(
                RESOURCES,
                OAUTH_EVERY,
                FAULT_RATE * 100,
                SEED,
                REQUEST_TIMEOUT,
                HANG,
                INITIAL,
                CAP,
                toReady.toMillis() / 1000.0,
                names.stream().filter(n -> lateCreateVictim(byName.get(n))).toList(),
                duplicated.isEmpty() ? "none" : duplicated,
                stats.total(),
                failedTotal,
                stats.unattributed(),
                EVENTS_PER_RESOURCE,
                CALLS_PER_RECONCILE * (EVENTS_PER_RESOURCE * RESOURCES + failedTotal),
                (int)
                    (CALLS_PER_RECONCILE
                        * EVENTS_PER_RESOURCE
                        * RESOURCES
                        / (1 - CALLS_PER_RECONCILE * FAULT_RATE)),
                stats.byOutcome(),
                stats.byOperation(),
                histogram,
                max);
    Path dir =
        Files.createDirectories(
            Path.of(System.getProperty("basedir", "."), "target", "reliability"));
    Files.writeString(dir.resolve("upstream-faults.md"), report);
    System.out.println(report);
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
