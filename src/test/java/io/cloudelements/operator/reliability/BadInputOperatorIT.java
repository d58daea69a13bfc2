package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.testing.Canaries;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Suite 4, bad input the API server cannot reject: wrong or missing Secrets, refusals from Cloud
 * Elements, reused codes, colliding names. All cases run at once against one operator; each must
 * reach its exact Ready reason and message, and then must not hammer Cloud Elements.
 *
 * <p>The operator runs with the production ratio of the backoff (initial : cap = 1 s : 5 min) on a
 * ten times faster clock: initial 100 ms, cap 30 s. So "per minute" of the production policy is
 * "per 6 s" here. A terminal or waiting case makes no call at all once its outcome is recorded (at
 * most one reconcile already queued may still run); the retryable case (404 from POST) spaces its
 * attempts by the backoff, and after its 7th failure (production: about two minutes in) makes at
 * most 2 calls per scaled minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputOperatorIT {

  static final Duration INITIAL = Duration.ofMillis(100);
  static final Duration CAP = Duration.ofSeconds(30);

  /** One production minute on the ten times faster clock. */
  static final Duration SCALED_MINUTE = Duration.ofSeconds(6);

  static final Pattern REQUEST_ID = Pattern.compile("\\(requestId [0-9a-f-]{36}\\)");
  private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(30);

  /** The expected outcome of one case. */
  record Expected(String reason, String message, boolean stalled, boolean reconciling) {}

  /** One case: its resource, and what to expect. */
  record Case(String name, String issue, Expected expected) {}

  private static OperatorStack stack;
  private static final List<Case> cases = new ArrayList<>();
  private static final Map<String, Instant> outcomeAt = new LinkedHashMap<>();
  private static final Map<String, String> uidTags = new LinkedHashMap<>();
  private static String personsSecretVersion;

  @BeforeAll
  static void start() {
    stack =
        OperatorStack.builder()
            .namespace("bad")
            .backoff(INITIAL, CAP)
            .resync(Duration.ofMinutes(10))
            .start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static Expected waiting(String message) {
    return new Expected("WaitingForSecret", message, false, true);
  }

  private static Expected stalled(String reason, String message) {
    return new Expected(reason, message, true, false);
  }

  private static void account(String prefix) {
    stack.credentials(prefix + "-account");
  }

  private static void apiKey(String prefix) {
    stack.createSecret(prefix + "-key", Map.of("apiKey", stack.canary("apikey")));
  }

  private static void app(String prefix) {
    stack.createSecret(
        prefix + "-app",
        Map.of("consumerKey", stack.canary("ck"), "consumerSecret", stack.canary("cs")));
  }

  private static CampaignMonitorInstance add(
      String name, String issue, String yaml, Expected expected) {
    cases.add(new Case(name, issue, expected));
    CampaignMonitorInstance cr = stack.apply(yaml);
    uidTags.put(name, OwnershipTag.of(cr));
    return cr;
  }

  private static final String DENIED =
      "Invalid or missing credentials: expected the header Authorization: User "
          + "<user secret>, Organization <organization secret>";
  private static final String CHECK =
      "; check userSecret and organizationSecret in the credentials Secret";

  @Test
  @Order(1)
  void everyCaseReachesItsExactReasonAndMessage() throws Exception {
    // Missing, empty or malformed Secrets: nothing is sent to Cloud Elements.
    apiKey("no-account");
    add(
        "no-account",
        "credentials Secret missing",
        InstanceYaml.basic("no-account", "no-account", ""),
        waiting("Secret no-account-account (key userSecret) does not exist"));

    stack.createSecret("half-account-account", Map.of("userSecret", Canaries.USER_SECRET));
    apiKey("half-account");
    add(
        "half-account",
        "credentials Secret without organizationSecret",
        InstanceYaml.basic("half-account", "half-account", ""),
        waiting("Secret half-account-account has no key organizationSecret"));

    account("no-key-secret");
    add(
        "no-key-secret",
        "API key Secret missing",
        InstanceYaml.basic("no-key-secret", "no-key-secret", ""),
        waiting("Secret no-key-secret-key (key apiKey) does not exist"));

    account("wrong-key");
    stack.createSecret("wrong-key-key", Map.of("apikey", stack.canary("apikey")));
    add(
        "wrong-key",
        "API key under another key (case differs)",
        InstanceYaml.basic("wrong-key", "wrong-key", ""),
        waiting("Secret wrong-key-key has no key apiKey"));

    account("empty-key");
    stack.createSecret("empty-key-key", Map.of("apiKey", ""));
    add(
        "empty-key",
        "API key empty",
        InstanceYaml.basic("empty-key", "empty-key", ""),
        waiting("Secret empty-key-key key apiKey is empty"));

    account("blank-key");
    stack.createSecret("blank-key-key", Map.of("apiKey", " \n\t"));
    add(
        "blank-key",
        "API key only whitespace",
        InstanceYaml.basic("blank-key", "blank-key", ""),
        waiting("Secret blank-key-key key apiKey is empty"));

    account("no-code");
    app("no-code");
    add(
        "no-code",
        "OAuth code Secret missing",
        InstanceYaml.oauth("no-code", "no-code", ""),
        waiting(
            "Creating the instance needs an authorization code: Secret no-code-grant key code is missing or "
                + "empty"));

    account("no-consumer-secret");
    stack.createSecret("no-consumer-secret-app", Map.of("consumerKey", stack.canary("ck")));
    stack.createSecret("no-consumer-secret-grant", Map.of("code", stack.canary("code")));
    add(
        "no-consumer-secret",
        "OAuth app Secret without consumerSecret",
        InstanceYaml.oauth("no-consumer-secret", "no-consumer-secret", ""),
        waiting("Secret no-consumer-secret-app has no key consumerSecret"));

    // Refusals from Cloud Elements.
    stack.createSecret(
        "wrong-account-account",
        Map.of(
            "userSecret",
            stack.canary("wrong-user"),
            "organizationSecret",
            stack.canary("wrong-org")));
    apiKey("wrong-account");
    add(
        "wrong-account",
        "401: wrong account secrets",
        InstanceYaml.basic("wrong-account", "wrong-account", ""),
        stalled(
            "CredentialsRejected",
            "Cloud Elements POST /instances answered 401: " + DENIED + " (requestId *)" + CHECK));

    for (int status : new int[] {400, 403}) {
      String name = "upstream-" + status;
      stack
          .simulator()
          .inject(Fault.status(status).on("POST", "/instances").withTag(name).times(1000));
      account(name);
      apiKey(name);
      add(
          name,
          status + " from POST /instances",
          InstanceYaml.basic(name, name, "tags: [" + name + "]"),
          status == 400
              ? stalled(
                  "RequestRejected",
                  "Cloud Elements POST /instances answered 400: Simulated "
                      + "failure (HTTP 400) (requestId *)")
              : stalled(
                  "CredentialsRejected",
                  "Cloud Elements POST /instances answered 403: Simulated failure "
                      + "(HTTP 403) (requestId *)"
                      + CHECK));
    }

    stack
        .simulator()
        .inject(Fault.status(404).on("POST", "/instances").withTag("upstream-404").times(1000));
    account("upstream-404");
    apiKey("upstream-404");
    add(
        "upstream-404",
        "404 from POST /instances (retried with backoff)",
        InstanceYaml.basic("upstream-404", "upstream-404", "tags: [upstream-404]"),
        new Expected(
            "UpstreamUnavailable",
            "Cloud Elements POST /instances answered 404: Simulated failure (HTTP "
                + "404) (requestId *); retrying with backoff",
            false,
            true));

    account("missing-instance");
    apiKey("missing-instance");
    add(
        "missing-instance",
        "spec.instanceId that does not exist",
        InstanceYaml.basic("missing-instance", "missing-instance", "instanceId: 999999"),
        stalled(
            "InstanceNotFound",
            "Instance 999999 (spec.instanceId) does not exist in Cloud Elements"));

    // A reused OAuth code: used by "first-user", then referenced by "reuser".
    String code = stack.canary("shared-code");
    account("first-user");
    app("first-user");
    stack.createSecret("first-user-grant", Map.of("code", code));
    add(
        "first-user",
        "control: the first use of a code",
        InstanceYaml.oauth("first-user", "first-user", ""),
        new Expected("Available", null, false, false));
    stack.awaitReason("first-user", "Available", OUTCOME_TIMEOUT);
    account("reuser");
    app("reuser");
    stack.createSecret("reuser-grant", Map.of("code", code));
    add(
        "reuser",
        "reused OAuth code",
        InstanceYaml.oauth("reuser", "reuser", ""),
        stalled(
            "RequestRejected",
            "Cloud Elements POST /instances answered 400: The authorization code is invalid "
                + "or was already used (requestId *)"));

    // Names that collide.
    account("owner");
    apiKey("owner");
    add(
        "owner",
        "control: owns Secret shared-output",
        InstanceYaml.basic("owner", "owner", "secretName: shared-output"),
        new Expected("Available", null, false, false));
    stack.awaitReason("owner", "Available", OUTCOME_TIMEOUT);
    account("collider");
    apiKey("collider");
    add(
        "collider",
        "secretName of another resource's Secret",
        InstanceYaml.basic("collider", "collider", "secretName: shared-output"),
        stalled(
            "SecretConflict",
            "Secret shared-output already exists and is not controlled by this resource; it "
                + "was left untouched. Delete it or choose another spec.secretName"));

    stack.createSecret("users-own", Map.of("note", "created by a person"));
    personsSecretVersion =
        stack.secret("users-own").orElseThrow().getMetadata().getResourceVersion();
    account("squatter");
    apiKey("squatter");
    add(
        "squatter",
        "secretName of a person's Secret",
        InstanceYaml.basic("squatter", "squatter", "secretName: users-own"),
        stalled(
            "SecretConflict",
            "Secret users-own already exists and is not controlled by this resource; it was "
                + "left untouched. Delete it or choose another spec.secretName"));

    // Edge values that are valid: they must work.
    account("huge-tags");
    apiKey("huge-tags");
    StringBuilder tags = new StringBuilder("tags: [");
    for (int i = 0; i < 50; i++) {
      tags.append(i == 0 ? "" : ", ").append(String.format("%03d", i)).append("x".repeat(97));
    }
    add(
        "huge-tags",
        "50 tags of 100 characters (the maximum)",
        InstanceYaml.basic("huge-tags", "huge-tags", tags.append("]").toString()),
        new Expected("Available", null, false, false));

    account("unicode");
    apiKey("unicode");
    add(
        "unicode",
        "unicode instance name and tags",
        InstanceYaml.basic(
            "unicode",
            "unicode",
            "instanceName: \"📰 Newsletter — Ünïcødé 日本語\"\ntags: [\"Café ☕\", \"Ελληνικά\"]"),
        new Expected("Available", null, false, false));

    for (Case c : cases) {
      await()
          .atMost(OUTCOME_TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> stack.reason(c.name()), c.expected().reason()::equals);
      outcomeAt.put(c.name(), Instant.now());
    }
    for (Case c : cases) {
      CampaignMonitorInstance cr = stack.get(c.name());
      Condition ready = cr.getStatus().condition("Ready").orElseThrow();
      assertThat(ready.getReason()).as(c.issue()).isEqualTo(c.expected().reason());
      if (c.expected().message() != null) {
        assertThat(REQUEST_ID.matcher(ready.getMessage()).replaceAll("(requestId *)"))
            .as(c.issue())
            .isEqualTo(c.expected().message());
      }
      assertThat(cr.getStatus().condition("Stalled").orElseThrow().isTrue())
          .as(c.issue() + ": Stalled")
          .isEqualTo(c.expected().stalled());
      assertThat(cr.getStatus().condition("Reconciling").orElseThrow().isTrue())
          .as(c.issue() + ": Reconciling")
          .isEqualTo(c.expected().reconciling());
    }
  }

  @Test
  @Order(2)
  void theValidEdgeCasesCreatedExactlyWhatWasAsked() {
    SimulatedInstance huge = only("huge-tags");
    assertThat(huge.tags()).hasSize(51).contains(OwnershipTag.of(stack.get("huge-tags")));
    SimulatedInstance unicode = only("unicode");
    assertThat(unicode.name()).isEqualTo("📰 Newsletter — Ünïcødé 日本語");
    assertThat(unicode.tags()).startsWith("Café ☕", "Ελληνικά");
  }

  @Test
  @Order(3)
  void nothingWasCreatedOrTouchedForTheFailingCases() {
    for (Case c : cases) {
      if (!c.expected().reason().equals("Available")) {
        assertThat(stack.remoteOf(stack.get(c.name()))).as(c.issue()).isEmpty();
      }
    }
    Secret owned = stack.secret("shared-output").orElseThrow();
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> assertThat(ref.getUid()).isEqualTo(stack.get("owner").getMetadata().getUid()));
    assertThat(stack.reason("owner")).isEqualTo("Available");
    Secret persons = stack.secret("users-own").orElseThrow();
    assertThat(persons.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(persons.getMetadata().getResourceVersion())
        .as("never written")
        .isEqualTo(personsSecretVersion);
  }

  @Test
  @Order(4)
  void noCaseHammersCloudElements() throws Exception {
    // Let the retried case go through its first backoff steps: 9 attempts take about 25 s nominal.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> attempts("upstream-404").size() >= 9);
    Instant end = Instant.now();
    StringBuilder report =
        new StringBuilder(
            "| case | outcome | calls before outcome | calls after outcome |\n"
                + "|---|---|---|---|\n");
    for (Case c : cases) {
      List<RecordedRequest> calls = calls(c.name());
      Instant at = outcomeAt.get(c.name());
      long before = calls.stream().filter(r -> !r.at().isAfter(at)).count();
      long after = calls.size() - before;
      report
          .append("| ")
          .append(c.issue())
          .append(" | ")
          .append(c.expected().reason())
          .append(" | ")
          .append(before)
          .append(" | ")
          .append(after)
          .append(" |\n");
      boolean lookupFirst = c.name().equals("no-code");
      switch (c.expected().reason()) {
        case "WaitingForSecret" -> {
          if (!lookupFirst) {
            assertThat(calls).as(c.issue() + ": no call at all").isEmpty();
          } else {
            // The tag lookup comes first (an instance may exist and need no code), then nothing.
            assertThat(calls).as(c.issue()).allMatch(r -> r.method().equals("GET"));
            Instant settled = at.plusSeconds(2);
            assertThat(calls.stream().filter(r -> r.at().isAfter(settled)).count())
                .as(c.issue() + ": calls once settled")
                .isZero();
          }
        }
        case "UpstreamUnavailable", "Available" -> {}
        default -> {
          assertThat(after)
              .as(c.issue() + ": calls after the outcome (one queued reconcile at most)")
              .isLessThanOrEqualTo(2);
          Instant settled = at.plusSeconds(2);
          assertThat(calls.stream().filter(r -> r.at().isAfter(settled)).count())
              .as(c.issue() + ": calls once settled")
              .isZero();
        }
      }
    }
    assertRetriedCaseFollowsTheBackoff(end);
    Path dir =
        Files.createDirectories(
            Path.of(System.getProperty("basedir", "."), "target", "reliability"));
    List<Long> gaps = gaps(attempts("upstream-404"));
    report.append("\nupstream-404 attempt gaps (ms): ").append(gaps).append('\n');
    Files.writeString(dir.resolve("bad-input.md"), report.toString());
    System.out.println(report);
  }

  /**
   * The k-th gap (after the k-th failure) is at least 0.8 × min(100 ms × 2^(k-1), 30 s), less 50 ms
   * of scheduling slack; from the 8th attempt on, no scaled minute holds more than 2 calls.
   */
  private static void assertRetriedCaseFollowsTheBackoff(Instant end) {
    List<RecordedRequest> attempts = attempts("upstream-404");
    List<Long> gaps = gaps(attempts);
    for (int k = 3; k <= gaps.size(); k++) {
      long minimum = (long) (0.8 * Math.min(INITIAL.toMillis() << (k - 1), CAP.toMillis())) - 50;
      assertThat(gaps.get(k - 1))
          .as("gap after failure " + k + " of upstream-404, all gaps " + gaps)
          .isGreaterThanOrEqualTo(minimum);
    }
    List<RecordedRequest> calls = calls("upstream-404");
    Instant from = attempts.get(7).at();
    for (RecordedRequest start : calls) {
      if (start.at().isBefore(from)) {
        continue;
      }
      Instant windowEnd = start.at().plus(SCALED_MINUTE);
      long inWindow =
          calls.stream()
              .filter(r -> !r.at().isBefore(start.at()) && r.at().isBefore(windowEnd))
              .count();
      assertThat(inWindow)
          .as("calls of upstream-404 in one scaled minute from " + start.at())
          .isLessThanOrEqualTo(2);
    }
    assertThat(end).isAfter(from);
  }

  private static List<Long> gaps(List<RecordedRequest> attempts) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < attempts.size(); i++) {
      gaps.add(Duration.between(attempts.get(i - 1).at(), attempts.get(i).at()).toMillis());
    }
    return gaps;
  }

  /** Every attempt begins with the tag lookup. */
  /** One POST per attempt: a first create posts at once, later ones look the tag up first. */
  private static List<RecordedRequest> attempts(String name) {
    return calls(name).stream().filter(r -> r.method().equals("POST")).toList();
  }

  /**
   * The calls of one resource: those that carry its ownership tag, or address its spec.instanceId.
   */
  private static List<RecordedRequest> calls(String name) {
    String tag = uidTags.get(name);
    CampaignMonitorInstance cr = stack.get(name);
    Long specId = cr.getSpec().getInstanceId();
    Long recorded = cr.getStatus() == null ? null : cr.getStatus().getInstanceId();
    return stack.simulator().requests().stream()
        .filter(
            r ->
                r.tags().contains(tag)
                    || specId != null && r.path().equals("/instances/" + specId)
                    || recorded != null && r.path().equals("/instances/" + recorded))
        .collect(Collectors.toList());
  }

  private static SimulatedInstance only(String name) {
    List<SimulatedInstance> owned = stack.remoteOf(stack.get(name));
    assertThat(owned).as(name).hasSize(1);
    return owned.get(0);
  }

  @Test
  @Order(5)
  void aReusedCodeAsksForANewOneAndANewCodeRecovers() {
    stack.edit(
        "reuser",
        cr -> {
          cr.getSpec().setTags(List.of("retry"));
          return cr;
        });
    CampaignMonitorInstance cr =
        stack.awaitReason("reuser", "AuthorizationRequired", OUTCOME_TIMEOUT);
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getMessage())
        .isEqualTo(
            "Creating the instance needs "
                + "a new authorization code: the code in Secret reuser-grant key code was already used and codes are "
                + "single-use; put a new code into it");
    long posts = calls("reuser").stream().filter(r -> r.method().equals("POST")).count();

    stack
        .client()
        .secrets()
        .inNamespace(stack.namespace())
        .withName("reuser-grant")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(Map.of("code", stack.canary("new-code")));
              return s;
            });
    stack.awaitReason("reuser", "Available", OUTCOME_TIMEOUT);
    assertThat(calls("reuser").stream().filter(r -> r.method().equals("POST")).count())
        .isEqualTo(posts + 1);
  }

  @Test
  @Order(6)
  void fixingTheInputClearsATerminalError() {
    stack
        .client()
        .secrets()
        .inNamespace(stack.namespace())
        .withName("wrong-account-account")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(
                  Map.of(
                      "userSecret",
                      Canaries.USER_SECRET,
                      "organizationSecret",
                      Canaries.ORG_SECRET));
              return s;
            });
    stack.awaitReason("wrong-account", "Available", OUTCOME_TIMEOUT);
    stack.createSecret("no-key-secret-key", Map.of("apiKey", stack.canary("apikey")));
    stack.awaitReason("no-key-secret", "Available", OUTCOME_TIMEOUT);
  }

  @Test
  @Order(7)
  void nothingSecretInLogsEventsStatusOrRequestLog() {
    LeakScanner.assertClean(stack.visible(), stack.secretValues());
  }
}
