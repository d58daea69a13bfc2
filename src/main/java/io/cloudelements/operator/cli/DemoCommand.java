package io.cloudelements.operator.cli;

import ch.qos.logback.classic.Level;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.embedded.EmbeddedStack;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

/**
 * The operator's real job in one process with no cluster: an embedded Kubernetes API, the Cloud
 * Elements simulator and the operator, driven through the sample resources of {@code examples/}.
 */
public final class DemoCommand implements Command {

  static final String NAMESPACE = "default";
  private static final List<String> EXAMPLES =
      List.of("examples/oauth.yaml", "examples/basic-with-events.yaml");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** What --keep-running suggests; KubectlDemoIT runs each of these with real kubectl. */
  private static final List<String> KUBECTL_TRY =
      List.of(
          "kubectl get cmi",
          "kubectl get cmi -o wide",
          "kubectl describe cmi newsletter-basic",
          "kubectl get secret newsletter-basic-instance -o yaml",
          "kubectl get events",
          "kubectl wait --for=condition=Ready cmi/newsletter-basic",
          "kubectl apply -f examples/basic-with-events.yaml",
          "kubectl delete cmi newsletter-basic");

  private PrintStream out;
  private int step;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Show the operator at work in one process: embedded Kubernetes API, Cloud Elements simulator.";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar campaign-monitor-operator.jar demo [--keep-running] [--verbose]

        Starts an embedded Kubernetes API (the Fabric8 mock server), the Cloud Elements simulator and the
        operator in one process, applies examples/oauth.yaml and examples/basic-with-events.yaml, then shows
        the Events, the resources, the output Secret (token masked), an edit (PATCH), a signed event delivered
        to a receiver in this process (and a tampered copy refused), an OAuth consent served by the operator
        (a resource without a code, approved through the simulator's consent page) and a deletion (DELETE).
        Exits 0 when every step did what it should, 1 otherwise.

          --keep-running   stay up afterwards for kubectl: print a kubeconfig path, the kubectl commands to try,
                           the simulator URL and a consent URL to approve in a real browser
          --verbose        also print the operator's own log lines
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    CommandLine options =
        CommandLine.parse(name(), args, Set.of(), Set.of("--keep-running", "--verbose"));
    this.out = out;
    if (!options.has("--verbose")) {
      quiet("io.cloudelements.operator", Level.WARN);
      quiet("io.javaoperatorsdk", Level.ERROR);
      quiet("io.fabric8", Level.ERROR);
    }
    Instant started = Instant.now();
    out.println(
        "campaign-monitor-operator demo: a Kubernetes API, the Cloud Elements simulator and the operator,");
    out.println(
        "all in this process and talking over HTTP. No cluster and no Cloud Elements account needed.");
    try (EmbeddedStack stack =
        EmbeddedStack.create(SimulatorOptions.defaults(), Duration.ofMinutes(10))) {
      stack.startOperator();
      KubernetesClient client = stack.client();
      begin(
          "Started the Kubernetes API at "
              + stack.kubernetes().url()
              + " and the simulator at "
              + stack.simulator().baseUrl());
      try (Watch events = watchEvents(client)) {
        runSteps(stack, client);
        Duration took = Duration.between(started, Instant.now());
        out.printf("%nAll %d steps passed in %.1f s.%n", step, took.toMillis() / 1000.0);
        if (options.has("--keep-running")) {
          keepRunning(stack);
        }
        return 0;
      } catch (StepFailed e) {
        out.println();
        out.println("FAILED at step " + step + ": " + e.getMessage());
        return 1;
      }
    }
  }

  private void runSteps(EmbeddedStack stack, KubernetesClient client) throws IOException {
    begin("Applying " + String.join(" and ", EXAMPLES));
    for (String example : EXAMPLES) {
      for (HasMetadata object : load(example)) {
        object.getMetadata().setNamespace(NAMESPACE);
        apply(client, object);
        out.printf(
            "  %s/%s applied%n", object.getKind().toLowerCase(), object.getMetadata().getName());
      }
    }

    begin("Waiting until both resources are Ready (the Events arrive as they happen)");
    waitFor(
        "newsletter and newsletter-basic to be Ready",
        () -> ready(client, "newsletter") && ready(client, "newsletter-basic"));
    pause();
    printTable(client);

    begin("The output Secret of newsletter (what applications mount)");
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName("newsletter-instance").get();
    if (secret == null) {
      throw new StepFailed("Secret newsletter-instance does not exist");
    }
    String token =
        InstanceSecret.token(secret).orElseThrow(() -> new StepFailed("the Secret has no token"));
    out.printf(
        "  secret/newsletter-instance  type=%s  owner=CampaignMonitorInstance/newsletter%n",
        secret.getType());
    out.printf(
        "    id:    %s%n", InstanceSecret.recordedId(secret).map(String::valueOf).orElse("?"));
    out.printf(
        "    token: %s (%d characters, %s)%n",
        "*".repeat(12), token.length(), Fingerprints.of(token));

    begin("Editing newsletter-basic: adding the tag 'weekly'");
    CampaignMonitorInstance basic = get(client, "newsletter-basic");
    long basicId = basic.getStatus().getInstanceId();
    int mark = stack.simulator().requests().size();
    client
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NAMESPACE)
        .withName("newsletter-basic")
        .edit(
            cr -> {
              List<String> tags = new ArrayList<>(cr.getSpec().getTags());
              tags.add("weekly");
              cr.getSpec().setTags(tags);
              return cr;
            });
    RecordedRequest patch = waitForRequest(stack, mark, "PATCH", "/instances/" + basicId);
    out.printf("  Cloud Elements saw: %s %s -> %d%n", patch.method(), patch.path(), patch.status());
    waitFor(
        "the simulator to hold the new tag",
        () ->
            stack
                .simulator()
                .instance(basicId)
                .map(i -> i.tags().contains("weekly"))
                .orElse(false));
    out.printf("  remote tags now: %s%n", stack.simulator().instance(basicId).orElseThrow().tags());

    SignedEventStep signedEvent = new SignedEventStep(stack, client, out);
    begin(signedEvent.title("newsletter-basic"));
    try {
      signedEvent.run("newsletter-basic", NAMESPACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted while delivering the event");
    }

    consentStep(stack, client);

    begin("Deleting newsletter");
    long oauthId = get(client, "newsletter").getStatus().getInstanceId();
    mark = stack.simulator().requests().size();
    client
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NAMESPACE)
        .withName("newsletter")
        .delete();
    RecordedRequest delete = waitForRequest(stack, mark, "DELETE", "/instances/" + oauthId);
    out.printf(
        "  Cloud Elements saw: %s %s -> %d%n", delete.method(), delete.path(), delete.status());
    waitFor(
        "newsletter to be gone",
        () ->
            client
                    .resources(CampaignMonitorInstance.class)
                    .inNamespace(NAMESPACE)
                    .withName("newsletter")
                    .get()
                == null);
    waitFor("the remote instance to be gone", () -> stack.simulator().instance(oauthId).isEmpty());
    pause();
    printTable(client);
  }

  /**
   * An OAuth resource without a code: the operator publishes a consent URL, the simulator's consent
   * page approves and redirects to the operator's callback, which stores the code; the resource
   * becomes Ready.
   */
  private void consentStep(EmbeddedStack stack, KubernetesClient client) {
    begin(
        "OAuth consent: applying newsletter-consent, an OAuth resource without an authorization code");
    apply(client, consentResource("newsletter-consent", stack.callbackUrl()));
    waitFor(
        "newsletter-consent to await consent",
        () -> reason(client, "newsletter-consent").equals("AwaitingConsent"));
    String url = get(client, "newsletter-consent").getStatus().getAuthorization().getUrl();
    out.println("  status.authorization.url: " + url);
    out.println(
        "  Opening it through the simulator's consent page (approve), which redirects to the operator's"
            + " callback:");
    try {
      HttpResponse<String> page =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "&decision=approve"))
                      .timeout(STEP_TIMEOUT)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String text =
          page.body().replaceAll("(?s).*<p>(.*)</p>.*", "$1").replaceAll("<[^>]+>", "").trim();
      out.printf("  %s -> %d: %s%n", page.uri().getPath(), page.statusCode(), text);
      if (page.statusCode() != 200) {
        throw new StepFailed("the callback answered " + page.statusCode());
      }
    } catch (IOException e) {
      throw new StepFailed(
          "the consent page or the callback did not answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted while opening the consent URL");
    }
    waitFor("newsletter-consent to be Ready", () -> ready(client, "newsletter-consent"));
    pause();
    printTable(client);
  }

  /** An OAuth resource that names no code, with the Secrets of examples/oauth.yaml. */
  private static CampaignMonitorInstance consentResource(String name, String callbackUrl) {
    return Serialization.unmarshal(
        """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %s
          namespace: %s
        spec:
          credentialsRef: {name: cloud-elements-account}
          oauth:
            callbackUrl: %s
            consumerKeyRef: {name: campaign-monitor-app, key: consumerKey}
            consumerSecretRef: {name: campaign-monitor-app, key: consumerSecret}
        """
            .formatted(name, NAMESPACE, callbackUrl),
        CampaignMonitorInstance.class);
  }

  private static String reason(KubernetesClient client, String name) {
    CampaignMonitorInstance cr = get(client, name);
    return cr == null || cr.getStatus() == null
        ? ""
        : cr.getStatus().condition("Ready").map(Condition::getReason).orElse("");
  }

  private static void quiet(String logger, Level level) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
  }

  /**
   * Creates or updates; a conflict (the operator may be adding its finalizer to a shared Secret) is
   * retried. Like kubectl apply it records what was applied in the last-applied annotation, so that
   * a later kubectl apply of the same example merges with it.
   */
  private static void apply(KubernetesClient client, HasMetadata object) {
    Map<String, String> annotations =
        new LinkedHashMap<>(
            Optional.ofNullable(object.getMetadata().getAnnotations()).orElse(Map.of()));
    annotations.put(LAST_APPLIED, Serialization.asJson(object));
    object.getMetadata().setAnnotations(annotations);
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(object).createOr(NonDeletingOperation::update);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
      }
    }
  }

  private void begin(String what) {
    step++;
    out.printf("%n[%d] %s%n", step, what);
  }

  /** Lets the last Events print before a table. */
  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Watch watchEvents(KubernetesClient client) {
    return client
        .v1()
        .events()
        .inNamespace(NAMESPACE)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Event event) {
                if (action == Action.ADDED) {
                  synchronized (out) {
                    out.printf(
                        "  event  %-17s %-8s %-20s %s%n",
                        event.getInvolvedObject().getName(),
                        event.getType(),
                        event.getReason(),
                        event.getMessage());
                  }
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                // The demo is over.
              }
            });
  }

  private void printTable(KubernetesClient client) {
    String format = "  %-18s %-6s %-12s %-12s %s%n";
    out.printf(format, "NAME", "READY", "REASON", "INSTANCE-ID", "SECRET");
    for (CampaignMonitorInstance cr :
        client.resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).list().getItems()) {
      Optional<Condition> ready =
          cr.getStatus() == null ? Optional.empty() : cr.getStatus().condition("Ready");
      out.printf(
          format,
          cr.getMetadata().getName(),
          ready.map(Condition::getStatus).orElse(""),
          ready.map(Condition::getReason).orElse(""),
          cr.getStatus() == null || cr.getStatus().getInstanceId() == null
              ? ""
              : cr.getStatus().getInstanceId(),
          cr.getStatus() == null || cr.getStatus().getSecretName() == null
              ? ""
              : cr.getStatus().getSecretName());
    }
  }

  private static CampaignMonitorInstance get(KubernetesClient client, String name) {
    return client
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .get();
  }

  private static boolean ready(KubernetesClient client, String name) {
    CampaignMonitorInstance cr = get(client, name);
    return cr != null
        && cr.getStatus() != null
        && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
  }

  static void waitFor(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(STEP_TIMEOUT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new StepFailed(
            "timed out after " + STEP_TIMEOUT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed("interrupted while waiting for " + what);
      }
    }
  }

  private static RecordedRequest waitForRequest(
      EmbeddedStack stack, int from, String method, String path) {
    RecordedRequest[] found = new RecordedRequest[1];
    waitFor(
        method + " " + path + " to reach Cloud Elements",
        () -> {
          List<RecordedRequest> requests = stack.simulator().requests();
          for (RecordedRequest r :
              requests.subList(Math.min(from, requests.size()), requests.size())) {
            if (r.method().equals(method) && r.path().equals(path)) {
              found[0] = r;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  private static List<HasMetadata> load(String resource) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new StepFailed(resource + " is missing from the jar");
      }
      Object parsed = Serialization.unmarshal(in);
      List<HasMetadata> objects = new ArrayList<>();
      if (parsed instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else {
        objects.add((HasMetadata) parsed);
      }
      return objects;
    }
  }

  private void keepRunning(EmbeddedStack stack) throws IOException, InterruptedException {
    Path kubeconfig =
        Kubeconfig.writeTemporary(
            "campaign-monitor-demo-", stack.kubernetes().url(), "demo", "default");
    out.println();
    out.println(
        "Still running. Try, from another terminal in the repository (kubectl 1.28 or later):");
    out.println("  export KUBECONFIG=" + kubeconfig);
    KUBECTL_TRY.forEach(command -> out.println("  " + command));
    out.println(
        "  curl -H 'Authorization: User user-secret, Organization org-secret' "
            + stack.simulator().baseUrl()
            + "/instances");
    apply(stack.client(), consentResource("newsletter-browser", stack.callbackUrl()));
    waitFor(
        "newsletter-browser to await consent",
        () -> reason(stack.client(), "newsletter-browser").equals("AwaitingConsent"));
    out.println(
        "Open this consent URL in a browser on this machine and approve (newsletter-browser then turns"
            + " Ready):");
    out.println(
        "  " + get(stack.client(), "newsletter-browser").getStatus().getAuthorization().getUrl());
    out.println("Press Ctrl-C to stop.");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    stop.await();
  }

  /** A demo step that did not do what it should. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message, null, false, false);
    }
  }
}
