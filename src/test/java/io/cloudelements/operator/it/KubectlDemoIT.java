package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's session: {@code java -jar target/campaign-monitor-operator.jar demo --keep-running}
 * as a separate process, then real kubectl with the kubeconfig the demo wrote, running the commands
 * the demo prints, in order. Every assertion is on kubectl's own output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlDemoIT {

  /** The commands of issue 13 point 2, as the demo must print them. */
  private static final List<String> PRINTED_COMMANDS =
      List.of(
          "kubectl get cmi",
          "kubectl get cmi -o wide",
          "kubectl describe cmi newsletter-basic",
          "kubectl get secret newsletter-basic-instance -o yaml",
          "kubectl get events",
          "kubectl wait --for=condition=Ready cmi/newsletter-basic",
          "kubectl apply -f examples/basic-with-events.yaml",
          "kubectl delete cmi newsletter-basic");

  private static final Pattern KUBECONFIG = Pattern.compile("export KUBECONFIG=(\\S+)");
  private static final Pattern AGE = Pattern.compile("\\d+[smhdy](\\d+[smhd])?");

  private static Process demo;
  private static final StringBuffer demoOutput = new StringBuffer();
  private static RealKubectl kubectl;
  private static List<String> printed;

  @BeforeAll
  static void startTheDemoAndFindKubectl(@TempDir Path home) throws Exception {
    Path jar = Path.of("target", "campaign-monitor-operator.jar");
    assertThat(jar).exists();
    demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "demo",
                "--keep-running")
            .redirectErrorStream(true)
            .start();
    Thread reader = new Thread(() -> copy(demo.getInputStream()), "demo-output");
    reader.setDaemon(true);
    reader.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
    while (!demoOutput.toString().contains("Press Ctrl-C to stop.")
        && demo.isAlive()
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    String output = demoOutput.toString();
    assertThat(output)
        .as("the demo is up and waiting:\n" + output)
        .contains("Press Ctrl-C to stop.");

    Matcher kubeconfig = KUBECONFIG.matcher(output);
    assertThat(kubeconfig.find()).as(output).isTrue();
    kubectl = RealKubectl.withKubeconfig(Path.of(kubeconfig.group(1)), home);
    printed =
        output.lines().map(String::strip).filter(line -> line.startsWith("kubectl ")).toList();
  }

  @AfterAll
  static void stopTheDemo() throws InterruptedException {
    if (demo != null) {
      demo.destroy();
      if (!demo.waitFor(30, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
  }

  @Test
  @Order(1)
  void theDemoPrintsTheKubectlCommandsToTry() {
    assertThat(printed).containsExactlyElementsOf(PRINTED_COMMANDS);
  }

  @Test
  @Order(2)
  void getShowsNameReadyReasonInstanceIdSecretAge() throws Exception {
    RealKubectl.Result get = run("kubectl get cmi");

    List<List<String>> table = table(get.stdout());
    assertThat(table.get(0))
        .containsExactly("NAME", "READY", "REASON", "INSTANCE-ID", "SECRET", "AGE");
    List<String> basic = row(table, "newsletter-basic");
    assertThat(basic.get(1)).isEqualTo("True");
    assertThat(basic.get(2)).isEqualTo("Available");
    assertThat(basic.get(3)).matches("\\d+");
    assertThat(basic.get(4)).isEqualTo("newsletter-basic-instance");
    assertThat(basic.get(5)).matches(AGE);
  }

  /**
   * -o wide adds the priority > 0 columns where the CRD puts them, read from the CRD the demo
   * serves.
   */
  @Test
  @Order(3)
  void wideShowsEveryColumnOfTheCrd() throws Exception {
    RealKubectl.Result wide = run("kubectl get cmi -o wide");

    List<String> expected = new ArrayList<>(List.of("NAME"));
    EmbeddedKubernetes.crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .forEach(expected::add);
    List<List<String>> table = table(wide.stdout());
    assertThat(table.get(0)).containsExactlyElementsOf(expected);
    assertThat(row(table, "newsletter-basic")).startsWith("newsletter-basic", "True", "Available");
  }

  @Test
  @Order(4)
  void describeShowsTheResourceAndItsEvents() throws Exception {
    RealKubectl.Result describe = run("kubectl describe cmi newsletter-basic");

    assertThat(describe.stdout())
        .containsPattern("(?m)^Name: +newsletter-basic$")
        .containsPattern("(?m)^Kind: +CampaignMonitorInstance$")
        .containsPattern("(?m)^ +Secret Name: +newsletter-basic-instance$");
    String events = describe.stdout().substring(describe.stdout().indexOf("\nEvents:"));
    assertThat(events)
        .containsPattern("Normal +Created +\\S+ +campaign-monitor-operator +Created instance \\d+")
        .containsPattern(
            "Normal +Updated +\\S+ +campaign-monitor-operator +Updated tags of instance \\d+")
        .doesNotContain("newsletter-instance");
  }

  @Test
  @Order(5)
  void theOutputSecretAsYaml() throws Exception {
    RealKubectl.Result yaml = run("kubectl get secret newsletter-basic-instance -o yaml");

    Secret secret = Serialization.unmarshal(yaml.stdout(), Secret.class);
    assertThat(secret.getMetadata().getName()).isEqualTo("newsletter-basic-instance");
    assertThat(secret.getData())
        .as("events are on: the webhook signature key is handed out too")
        .containsOnlyKeys("id", "token", "webhookSignatureKey");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner ->
                assertThat(owner.getKind() + "/" + owner.getName())
                    .isEqualTo("CampaignMonitorInstance/newsletter-basic"));
  }

  @Test
  @Order(6)
  void eventsAsOnACluster() throws Exception {
    RealKubectl.Result events = run("kubectl get events");

    List<List<String>> table = table(events.stdout());
    assertThat(table.get(0)).containsExactly("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(table.subList(1, table.size()))
        .extracting(r -> r.get(2) + " " + r.get(3))
        .contains(
            "Created campaignmonitorinstance/newsletter-basic",
            "Created campaignmonitorinstance/newsletter",
            "Updated campaignmonitorinstance/newsletter-basic",
            "Deleted campaignmonitorinstance/newsletter");
  }

  @Test
  @Order(7)
  void waitReturnsZeroOnceReady() throws Exception {
    RealKubectl.Result wait = run("kubectl wait --for=condition=Ready cmi/newsletter-basic");

    assertThat(wait.exitCode()).as(wait.toString()).isZero();
    assertThat(wait.stdout())
        .contains("campaignmonitorinstance.cloudelements.io/newsletter-basic condition met");
  }

  /**
   * The demo added the tag 'weekly'; applying the example takes it out again (a JSON merge patch of
   * the custom resource, a strategic merge patch of the Secrets), and kubectl wait then waits for
   * the new generation.
   */
  @Test
  @Order(8)
  void applyThenWaitForTheNewGeneration() throws Exception {
    long updatesBefore = reasons("newsletter-basic").stream().filter("Updated"::equals).count();

    RealKubectl.Result apply = run("kubectl apply -f examples/basic-with-events.yaml");

    assertThat(apply.stdout().lines())
        .contains("campaignmonitorinstance.cloudelements.io/newsletter-basic configured")
        .anyMatch(line -> line.matches("secret/cloud-elements-account (configured|unchanged)"));
    RealKubectl.Result tags = run("kubectl get cmi newsletter-basic -o jsonpath={.spec.tags}");
    assertThat(tags.stdout()).isEqualTo("[\"newsletter\",\"events\"]");

    RealKubectl.Result wait =
        run("kubectl wait --for=condition=Ready cmi/newsletter-basic --timeout=60s");
    assertThat(wait.exitCode()).as(wait.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(reasons("newsletter-basic"))
                    .as("an Updated Event for the tag this apply took out")
                    .filteredOn("Updated"::equals)
                    .hasSizeGreaterThan((int) updatesBefore));
  }

  @Test
  @Order(9)
  void deleteRunsTheFinalizerAndTheResourceIsGone() throws Exception {
    RealKubectl.Result delete = run("kubectl delete cmi newsletter-basic");

    assertThat(delete.stdout())
        .contains("campaignmonitorinstance.cloudelements.io \"newsletter-basic\" deleted");
    RealKubectl.Result get = kubectl.run("kubectl get cmi");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(table(get.stdout()))
        .as("left: the consent step's resource and the one awaiting a person's consent")
        .extracting(row -> row.get(0))
        .containsExactlyInAnyOrder("NAME", "newsletter-consent", "newsletter-browser");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(reasons("newsletter-basic")).contains("Deleted"));
    await()
        .alias("the output Secret is garbage-collected with its owner, as on a cluster")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("kubectl get secret newsletter-basic-instance").stderr())
                    .contains("NotFound"));
  }

  @Test
  @Order(10)
  void discoveryListsTheCustomResourceWithItsShortNameAndCategory() throws Exception {
    RealKubectl.Result resources = run("kubectl api-resources --api-group=cloudelements.io");
    assertThat(table(resources.stdout()).get(1))
        .containsExactly(
            "campaignmonitorinstances",
            "cmi",
            "cloudelements.io/v1alpha1",
            "true",
            "CampaignMonitorInstance");

    RealKubectl.Result byCategory = run("kubectl get cloudelements");
    assertThat(table(byCategory.stdout()))
        .extracting(row -> row.get(0))
        .containsExactlyInAnyOrder("NAME", "newsletter-consent", "newsletter-browser");
  }

  private static RealKubectl.Result run(String command) throws IOException, InterruptedException {
    RealKubectl.Result result = kubectl.run(command);
    assertThat(result.exitCode())
        .as(command + " with " + kubectl.binary() + ": " + result)
        .isZero();
    return result;
  }

  /** The REASON column of kubectl get events for one object. */
  private static List<String> reasons(String name) throws IOException, InterruptedException {
    List<List<String>> table =
        table(run("kubectl get events --field-selector involvedObject.name=" + name).stdout());
    assertThat(table.get(0)).containsExactly("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    return table.stream().skip(1).map(r -> r.get(2)).toList();
  }

  /** kubectl's columns are separated by at least two spaces; a header of two words is two cells. */
  private static List<List<String>> table(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    List<List<String>> rows = new ArrayList<>();
    rows.add(Arrays.asList(lines.get(0).trim().split("\\s+")));
    lines
        .subList(1, lines.size())
        .forEach(line -> rows.add(Arrays.asList(line.trim().split("\\s{2,}"))));
    return rows;
  }

  private static List<String> row(List<List<String>> table, String name) {
    return table.stream()
        .skip(1)
        .filter(r -> r.get(0).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in " + table));
  }

  private static void copy(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        demoOutput.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      demoOutput.append("\n[output ended: ").append(e.getMessage()).append(']');
    }
  }
}
