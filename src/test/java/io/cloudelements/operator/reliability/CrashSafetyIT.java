package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.simulator.Hold;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.cloudelements.operator.testing.Canaries;
import io.cloudelements.operator.testing.InstanceYaml;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Suite 1, crash safety: the packaged jar as a separate process, killed with SIGKILL at chosen
 * moments of a creation or a deletion, then restarted. Each trial draws its moment and its
 * authorization (basic or oauth) at random from a seed that is printed; the restarted process
 * serves the next trial, so N trials cost N + 1 process starts.
 *
 * <p>After each restart: exactly one remote instance carries the resource's ownership tag, exactly
 * one POST was ever made for it, the Secret holds that instance's id and token, the status records
 * it; or, for a deletion, the resource is gone and no remote instance carries its tag.
 *
 * <p>Each moment comes up equally often. CI runs {@value #CI_TRIALS} trials; {@code
 * -Dreliability.crash.trials=100} runs more (see docs/reliability.md), {@code
 * -Dreliability.crash.seed=...} replays a run.
 */
class CrashSafetyIT {

  static final int CI_TRIALS = 20;
  private static final int TRIALS = Integer.getInteger("reliability.crash.trials", CI_TRIALS);
  private static final long SEED =
      Long.getLong("reliability.crash.seed", System.currentTimeMillis());
  private static final String NS = "crash";
  private static final String TOKEN = "crash-test-operator-token";
  private static final String USER_SECRET = Canaries.USER_SECRET;
  private static final String ORG_SECRET = Canaries.ORG_SECRET;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** The moment of the kill. */
  enum Moment {
    /**
     * The API server stored the create intent (with the finalizer, one metadata patch); its answer
     * is held back, so no POST was sent.
     */
    INTENT_WRITTEN_NOT_POSTED,
    /** The simulator created the instance; its answer is held back. */
    POST_ACCEPTED_NOT_ANSWERED,
    /** The POST was answered; the operator's Secret create is held back (never applied). */
    ANSWERED_SECRET_NOT_WRITTEN,
    /** The Secret was written; the status write is held back (never applied). */
    SECRET_WRITTEN_STATUS_NOT_WRITTEN,
    /** The resource is being deleted; the simulator deleted the instance and holds its answer. */
    DELETE_PROCESSED_NOT_ANSWERED,
    /**
     * The resource is being deleted; the DELETE is held before the simulator processes it (then
     * dropped).
     */
    DELETE_SENT_NOT_PROCESSED
  }

  record Trial(
      int number,
      Moment moment,
      String auth,
      long killDelayMs,
      long msToMoment,
      long msToRecover,
      String outcome) {}

  private static EmbeddedKubernetes kubernetes;
  private static CloudElementsSimulator simulator;
  private static KubeGate gate;
  private static Path work;
  private static Path kubeconfig;
  private static OperatorProcess current;
  private static final List<OperatorProcess> processes = new ArrayList<>();
  private static final Canaries canaries = new Canaries();
  private static final Map<String, String> metricsScrapes = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    assertThat(OperatorProcess.JAR).as("the packaged jar (mvn package)").exists();
    work =
        Files.createDirectories(
            Path.of(System.getProperty("basedir", "."), "target", "reliability", "crash"));
    kubernetes = EmbeddedKubernetes.start();
    simulator =
        CloudElementsSimulator.start(
            SimulatorOptions.defaults().withSecrets(USER_SECRET, ORG_SECRET));
    gate = new KubeGate(TOKEN, kubernetes.dispatcher());
    kubernetes.dispatcher().intercept(gate);
    kubeconfig = Kubeconfig.write(work.resolve("kubeconfig"), kubernetes.url(), TOKEN, NS);
    client()
        .secrets()
        .inNamespace(NS)
        .resource(
            secret(
                "crash-account",
                Map.of("userSecret", USER_SECRET, "organizationSecret", ORG_SECRET)))
        .create();
  }

  @AfterAll
  static void stop() {
    if (current != null) {
      current.kill();
    }
    if (simulator != null) {
      simulator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  private static KubernetesClient client() {
    return kubernetes.client();
  }

  private static OperatorProcess startOperator() {
    OperatorProcess p =
        OperatorProcess.start(
            kubeconfig,
            Map.of(
                "CLOUD_ELEMENTS_BASE_URL", simulator.baseUrl(),
                "CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "true",
                "CLOUD_ELEMENTS_TIMEOUT", "5s",
                "WATCH_NAMESPACES", NS,
                "RETRY_INITIAL_DELAY", "200ms",
                "RETRY_MAX_DELAY", "2s",
                "RESYNC_INTERVAL", "10m"),
            work.resolve("operator-" + (processes.size() + 1) + ".log"));
    processes.add(p);
    return p;
  }

  /** Scrapes /metrics (when this build serves it), then SIGKILL. */
  private static void kill(OperatorProcess p) {
    p.metrics().ifPresent(m -> metricsScrapes.put("metrics of process " + processes.indexOf(p), m));
    p.kill();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  @Test
  void killedAtEveryMomentTheOperatorRecoversWithExactlyOneInstance() throws Exception {
    Random random = new Random(SEED);
    System.out.printf(
        "CrashSafetyIT: %d trials, seed %d (replay with -Dreliability.crash.seed=%d)%n",
        TRIALS, SEED, SEED);
    List<Trial> trials = new ArrayList<>();
    long started = System.nanoTime();
    current = startOperator();
    List<Moment> moments = moments(random);
    for (int n = 1; n <= TRIALS; n++) {
      Moment moment = moments.get(n - 1);
      String auth = random.nextBoolean() ? "basic" : "oauth";
      long killDelay = random.nextInt(150);
      Trial trial;
      try {
        trial = runTrial(n, moment, auth, killDelay);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            "Trial "
                + n
                + " ("
                + moment
                + ", "
                + auth
                + ", seed "
                + SEED
                + ") failed; "
                + "operator output in "
                + work
                + ": "
                + e.getMessage(),
            e);
      }
      trials.add(trial);
      System.out.printf(
          "  trial %3d %-34s %-5s kill+%3d ms: moment after %5d ms, recovered in %5d ms: %s%n",
          n, moment, auth, killDelay, trial.msToMoment(), trial.msToRecover(), trial.outcome());
    }
    long total = (System.nanoTime() - started) / 1_000_000;

    assertGlobalInvariants(trials);
    writeReport(trials, total);
    scanForLeaks();
  }

  /** Every moment equally often (the remainder drawn at random), in random order. */
  private static List<Moment> moments(Random random) {
    List<Moment> moments = new ArrayList<>();
    for (int i = 0; i < TRIALS; i++) {
      moments.add(
          i < TRIALS - TRIALS % Moment.values().length
              ? Moment.values()[i % Moment.values().length]
              : Moment.values()[random.nextInt(Moment.values().length)]);
    }
    java.util.Collections.shuffle(moments, random);
    return moments;
  }

  private Trial runTrial(int n, Moment moment, String auth, long killDelay) throws Exception {
    String name = "t" + n;
    String userTag = "trial-" + n;
    createInputs(name, auth);
    long t0 = System.nanoTime();
    Hold hold = new Hold();
    long deletedId = -1;
    switch (moment) {
      case POST_ACCEPTED_NOT_ANSWERED -> {
        simulator.inject(Fault.holdAfterProcessing(hold).on("POST", "/instances").withTag(userTag));
        apply(name, auth, userTag);
        assertThat(hold.awaitHeld(STEP_TIMEOUT)).as("the POST reached the simulator").isTrue();
      }
      case INTENT_WRITTEN_NOT_POSTED,
          ANSWERED_SECRET_NOT_WRITTEN,
          SECRET_WRITTEN_STATUS_NOT_WRITTEN -> {
        gate.arm(
            switch (moment) {
              case INTENT_WRITTEN_NOT_POSTED -> KubeGate.Target.INTENT_WRITE;
              case ANSWERED_SECRET_NOT_WRITTEN -> KubeGate.Target.SECRET_CREATE;
              default -> KubeGate.Target.STATUS_WRITE;
            },
            NS,
            name,
            name + "-instance");
        apply(name, auth, userTag);
        assertThat(gate.awaitHeld(STEP_TIMEOUT)).as("the operator reached the held write").isTrue();
      }
      case DELETE_PROCESSED_NOT_ANSWERED, DELETE_SENT_NOT_PROCESSED -> {
        apply(name, auth, userTag);
        CampaignMonitorInstance ready = awaitAvailable(name);
        deletedId = ready.getStatus().getInstanceId();
        simulator.inject(
            (moment == Moment.DELETE_PROCESSED_NOT_ANSWERED
                    ? Fault.holdAfterProcessing(hold)
                    : Fault.holdBeforeProcessing(hold))
                .on("DELETE", "/instances/" + deletedId));
        t0 = System.nanoTime();
        client().resources(CampaignMonitorInstance.class).inNamespace(NS).withName(name).delete();
        assertThat(hold.awaitHeld(STEP_TIMEOUT)).as("the DELETE reached the simulator").isTrue();
      }
    }
    long msToMoment = (System.nanoTime() - t0) / 1_000_000;
    Thread.sleep(killDelay);
    kill(current);
    assertStateAtTheKill(name, userTag, moment, deletedId);
    gate.disarm();
    hold.drop();
    simulator.clearFaults();

    long restart = System.nanoTime();
    current = startOperator();
    String outcome;
    if (moment == Moment.DELETE_PROCESSED_NOT_ANSWERED
        || moment == Moment.DELETE_SENT_NOT_PROCESSED) {
      await()
          .atMost(STEP_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  client()
                          .resources(CampaignMonitorInstance.class)
                          .inNamespace(NS)
                          .withName(name)
                          .get()
                      == null);
      long id = deletedId;
      assertThat(simulator.instance(id))
          .as("remote instance " + id + " after the deletion")
          .isEmpty();
      assertThat(instancesTagged(name)).isEmpty();
      long deletes =
          simulator.requests().stream()
              .filter(r -> r.method().equals("DELETE") && r.path().equals("/instances/" + id))
              .count();
      assertThat(deletes)
          .as("DELETE calls for the instance (the cut one and the one after restart)")
          .isEqualTo(2);
      outcome = "deleted; DELETE sent twice, remote instance gone";
    } else {
      CampaignMonitorInstance cr = awaitAvailable(name);
      SimulatedInstance only = assertExactlyOneInstance(cr);
      outcome = "Ready, 1 instance (" + only.id() + "), 1 POST";
    }
    long msToRecover = (System.nanoTime() - restart) / 1_000_000;
    return new Trial(n, moment, auth, killDelay, msToMoment, msToRecover, outcome);
  }

  /** What exists when the process dies: the proof that the kill hit the intended moment. */
  private static void assertStateAtTheKill(
      String name, String userTag, Moment moment, long deletedId) {
    List<SimulatedInstance> remote =
        simulator.instances().stream().filter(i -> i.tags().contains(userTag)).toList();
    Secret secret = client().secrets().inNamespace(NS).withName(name + "-instance").get();
    CampaignMonitorInstance cr =
        client().resources(CampaignMonitorInstance.class).inNamespace(NS).withName(name).get();
    Long recorded = cr == null || cr.getStatus() == null ? null : cr.getStatus().getInstanceId();
    String intent =
        cr == null || cr.getMetadata().getAnnotations() == null
            ? null
            : cr.getMetadata().getAnnotations().get("cloudelements.io/create-pending");
    boolean finalized = cr != null && cr.hasFinalizer("cloudelements.io/finalizer");
    switch (moment) {
      case INTENT_WRITTEN_NOT_POSTED -> {
        assertThat(intent).as("at the kill: the create intent is stored").isNotNull();
        assertThat(finalized).as("at the kill: the finalizer, stored with the intent").isTrue();
        assertThat(remote).as("at the kill: nothing exists remotely").isEmpty();
        assertThat(postsFor(cr)).as("at the kill: no POST sent").isZero();
        assertThat(secret).as("at the kill: no Secret yet").isNull();
      }
      case POST_ACCEPTED_NOT_ANSWERED, ANSWERED_SECRET_NOT_WRITTEN -> {
        assertThat(intent).as("at the kill: the create intent is stored").isNotNull();
        assertThat(remote).as("at the kill: the instance exists remotely").hasSize(1);
        assertThat(secret).as("at the kill: no Secret yet").isNull();
        assertThat(recorded).as("at the kill: nothing recorded in status").isNull();
      }
      case SECRET_WRITTEN_STATUS_NOT_WRITTEN -> {
        assertThat(intent).as("at the kill: the create intent is stored").isNotNull();
        assertThat(remote).as("at the kill: the instance exists remotely").hasSize(1);
        assertThat(secret).as("at the kill: the Secret is written").isNotNull();
        assertThat(recorded).as("at the kill: nothing recorded in status").isNull();
      }
      case DELETE_PROCESSED_NOT_ANSWERED -> {
        assertThat(simulator.instance(deletedId)).as("at the kill: deleted remotely").isEmpty();
        assertThat(cr).as("at the kill: the resource still holds its finalizer").isNotNull();
      }
      case DELETE_SENT_NOT_PROCESSED -> {
        assertThat(simulator.instance(deletedId))
            .as("at the kill: still there remotely")
            .isPresent();
        assertThat(cr).as("at the kill: the resource still holds its finalizer").isNotNull();
      }
    }
  }

  private static CampaignMonitorInstance awaitAvailable(String name) {
    await()
        .atMost(STEP_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              CampaignMonitorInstance cr =
                  client()
                      .resources(CampaignMonitorInstance.class)
                      .inNamespace(NS)
                      .withName(name)
                      .get();
              return cr != null
                  && cr.getStatus() != null
                  && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
            });
    return client().resources(CampaignMonitorInstance.class).inNamespace(NS).withName(name).get();
  }

  /** Exactly one remote instance, one POST, and a Secret and a status that agree with it. */
  private static SimulatedInstance assertExactlyOneInstance(CampaignMonitorInstance cr) {
    String name = cr.getMetadata().getName();
    List<SimulatedInstance> owned = instancesTagged(name);
    assertThat(owned).as("remote instances of " + name).hasSize(1);
    SimulatedInstance instance = owned.get(0);
    assertThat(postsFor(cr)).as("POSTs carrying the ownership tag of " + name).isEqualTo(1);
    Secret secret = client().secrets().inNamespace(NS).withName(name + "-instance").get();
    assertThat(secret).as("output Secret").isNotNull();
    assertThat(decoded(secret, "id")).isEqualTo(Long.toString(instance.id()));
    assertThat(decoded(secret, "token")).isEqualTo(instance.token());
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(cr.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(cr.getStatus().getInstanceId()).isEqualTo(instance.id());
    assertThat(cr.getStatus().getSecretName()).isEqualTo(name + "-instance");
    assertThat(cr.getStatus().getTokenFingerprint()).isEqualTo(Fingerprints.of(instance.token()));
    assertThat(cr.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("Available");
    assertThat(cr.getMetadata().getAnnotations())
        .as("the intent stays; with the id recorded it no longer counts")
        .containsKey("cloudelements.io/create-pending");
    return instance;
  }

  private static long postsFor(CampaignMonitorInstance cr) {
    String tag = OwnershipTag.of(cr);
    return simulator.requests().stream()
        .filter(r -> r.method().equals("POST") && r.tags().contains(tag))
        .count();
  }

  private static List<SimulatedInstance> instancesTagged(String name) {
    String userTag = "trial-" + name.substring(1);
    return simulator.instances().stream().filter(i -> i.tags().contains(userTag)).toList();
  }

  /**
   * Over all trials: one instance per live resource, none for a deleted one, one POST per resource.
   */
  private static void assertGlobalInvariants(List<Trial> trials) {
    List<CampaignMonitorInstance> live =
        client().resources(CampaignMonitorInstance.class).inNamespace(NS).list().getItems();
    long expectedLive =
        trials.stream().filter(t -> !t.moment().name().startsWith("DELETE")).count();
    assertThat(live).hasSize((int) expectedLive);
    assertThat(simulator.instances()).as("remote instances = live resources").hasSize(live.size());
    for (CampaignMonitorInstance cr : live) {
      assertExactlyOneInstance(cr);
    }
    long posts = simulator.requests().stream().filter(r -> r.method().equals("POST")).count();
    assertThat(posts).as("POSTs over the whole run: one per trial").isEqualTo(trials.size());
  }

  private static void scanForLeaks() {
    Map<String, String> sources = new LinkedHashMap<>();
    for (int i = 0; i < processes.size(); i++) {
      sources.put(
          "output of operator process " + (i + 1) + " (LOG_LEVEL=DEBUG)",
          processes.get(i).output());
    }
    sources.putAll(metricsScrapes);
    StringBuilder objects = new StringBuilder();
    client()
        .v1()
        .events()
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(e -> objects.append(Serialization.asJson(e)));
    client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(cr -> objects.append(Serialization.asJson(cr)));
    sources.put("Events and resources", objects.toString());
    StringBuilder requests = new StringBuilder();
    simulator.requests().forEach(r -> requests.append(r).append('\n'));
    sources.put("simulator request log", requests.toString());
    List<String> secrets = new ArrayList<>(canaries.all());
    secrets.addAll(simulator.issuedTokens());
    long scanned = LeakScanner.assertClean(sources, secrets);
    System.out.printf(
        "CrashSafetyIT: leak scan of %d sources (%d characters) for %d secrets: clean%n",
        sources.size(), scanned, secrets.size());
  }

  private static void writeReport(List<Trial> trials, long totalMs) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("# Crash trials\n\nSeed ")
        .append(SEED)
        .append(", ")
        .append(trials.size())
        .append(" trials, ")
        .append(processes.size())
        .append(" operator processes, ")
        .append(totalMs / 1000.0)
        .append(" s\n\n");
    Map<Moment, long[]> byMoment = new LinkedHashMap<>();
    for (Moment m : Moment.values()) {
      byMoment.put(m, new long[] {0, 0, 0});
    }
    for (Trial t : trials) {
      long[] agg = byMoment.get(t.moment());
      agg[0]++;
      agg[1] += t.msToRecover();
      agg[2] = Math.max(agg[2], t.msToRecover());
    }
    md.append(
        "| moment | trials | passed | mean recovery (ms) | max recovery (ms) |\n|---|---|---|---|---|\n");
    byMoment.forEach(
        (m, agg) ->
            md.append("| ")
                .append(m)
                .append(" | ")
                .append(agg[0])
                .append(" | ")
                .append(agg[0])
                .append(" | ")
                .append(agg[0] == 0 ? "-" : Long.toString(agg[1] / agg[0]))
                .append(" | ")
                .append(agg[0] == 0 ? "-" : Long.toString(agg[2]))
                .append(" |\n"));
    md.append(
            "\n| # | moment | auth | kill delay (ms) | to moment (ms) | recovery (ms) | outcome |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Trial t : trials) {
      md.append("| ")
          .append(t.number())
          .append(" | ")
          .append(t.moment())
          .append(" | ")
          .append(t.auth())
          .append(" | ")
          .append(t.killDelayMs())
          .append(" | ")
          .append(t.msToMoment())
          .append(" | ")
          .append(t.msToRecover())
          .append(" | ")
          .append(t.outcome())
          .append(" |\n");
    }
    Files.writeString(work.resolve("crash-trials.md"), md.toString());
    System.out.println(md);
  }

  // --- inputs
  // -----------------------------------------------------------------------------------------------------

  private static String canary(String what) {
    return canaries.next(what);
  }

  private static Secret secret(String name, Map<String, String> values) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withStringData(values)
        .build();
  }

  private static void createInputs(String name, String auth) {
    if (auth.equals("basic")) {
      client()
          .secrets()
          .inNamespace(NS)
          .resource(secret(name + "-key", Map.of("apiKey", canary("apikey"))))
          .create();
    } else {
      client()
          .secrets()
          .inNamespace(NS)
          .resource(
              secret(
                  name + "-app",
                  Map.of("consumerKey", canary("ck"), "consumerSecret", canary("cs"))))
          .create();
      client()
          .secrets()
          .inNamespace(NS)
          .resource(secret(name + "-grant", Map.of("code", canary("code"))))
          .create();
    }
  }

  private static void apply(String name, String auth, String userTag) {
    String extra = "tags: [" + userTag + "]\nsecretName: " + name + "-instance";
    String yaml =
        auth.equals("basic")
            ? InstanceYaml.basic(name, name, extra)
            : InstanceYaml.oauth(name, name, extra);
    yaml = yaml.replace("{name: " + name + "-account}", "{name: crash-account}");
    CampaignMonitorInstance cr = Serialization.unmarshal(yaml, CampaignMonitorInstance.class);
    cr.getMetadata().setNamespace(NS);
    client().resources(CampaignMonitorInstance.class).inNamespace(NS).resource(cr).create();
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
