package io.cloudelements.operator.cli;

import static io.cloudelements.operator.cli.DemoResources.NAMESPACE;
import static io.cloudelements.operator.cli.DemoResources.apply;
import static io.cloudelements.operator.cli.DemoResources.consentResource;
import static io.cloudelements.operator.cli.DemoResources.get;
import static io.cloudelements.operator.cli.DemoResources.load;
import static io.cloudelements.operator.cli.DemoResources.ready;
import static io.cloudelements.operator.cli.DemoResources.reason;
import static io.cloudelements.operator.cli.DemoWaits.waitFor;
import static io.cloudelements.operator.cli.DemoWaits.waitForRequest;

import ch.qos.logback.classic.Level;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.embedded.EmbeddedStack;
import io.cloudelements.operator.embedded.Kubeconfig;
import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.simulator.RecordedRequest;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The operator's real job in one process with no cluster: an embedded Kubernetes API, the Cloud
 * Elements simulator and the operator, driven through the sample resources of {@code examples/}.
 */
public final class DemoCommand implements Command {

  private static final List<String> EXAMPLES =
      List.of("examples/oauth.yaml", "examples/basic-with-events.yaml");

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
    DemoConsole console = new DemoConsole(out);
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
      console.begin(
          "Started the Kubernetes API at "
              + stack.kubernetes().url()
              + " and the simulator at "
              + stack.simulator().baseUrl());
      try (Watch events = console.watchEvents(client)) {
        runSteps(stack, client, console);
        Duration took = Duration.between(started, Instant.now());
        out.printf("%nAll %d steps passed in %.1f s.%n", console.step(), took.toMillis() / 1000.0);
        if (options.has("--keep-running")) {
          keepRunning(stack, out);
        }
        return 0;
      } catch (StepFailed e) {
        out.println();
        out.println("FAILED at step " + console.step() + ": " + e.getMessage());
        return 1;
      }
    }
  }

  private static void runSteps(EmbeddedStack stack, KubernetesClient client, DemoConsole console)
      throws IOException {
    PrintStream out = console.out();
    console.begin("Applying " + String.join(" and ", EXAMPLES));
    for (String example : EXAMPLES) {
      for (HasMetadata object : load(example)) {
        object.getMetadata().setNamespace(NAMESPACE);
        apply(client, object);
        out.printf(
            "  %s/%s applied%n", object.getKind().toLowerCase(), object.getMetadata().getName());
      }
    }

    console.begin("Waiting until both resources are Ready (the Events arrive as they happen)");
    waitFor(
        "newsletter and newsletter-basic to be Ready",
        () -> ready(client, "newsletter") && ready(client, "newsletter-basic"));
    DemoConsole.pause();
    console.printTable(client);

    console.begin("The output Secret of newsletter (what applications mount)");
    printSecret(client, out);

    console.begin("Editing newsletter-basic: adding the tag 'weekly'");
    editTags(stack, client, out);

    SignedEventStep signedEvent = new SignedEventStep(stack, client, out);
    console.begin(signedEvent.title("newsletter-basic"));
    try {
      signedEvent.run("newsletter-basic", NAMESPACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted while delivering the event");
    }

    new ConsentStep(stack, client, console).run();

    console.begin("Deleting newsletter");
    delete(stack, client, out);
    DemoConsole.pause();
    console.printTable(client);
  }

  private static void printSecret(KubernetesClient client, PrintStream out) {
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
  }

  private static void editTags(EmbeddedStack stack, KubernetesClient client, PrintStream out) {
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
  }

  private static void delete(EmbeddedStack stack, KubernetesClient client, PrintStream out) {
    long oauthId = get(client, "newsletter").getStatus().getInstanceId();
    int mark = stack.simulator().requests().size();
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
  }

  private static void quiet(String logger, Level level) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
  }

  private static void keepRunning(EmbeddedStack stack, PrintStream out)
      throws IOException, InterruptedException {
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
