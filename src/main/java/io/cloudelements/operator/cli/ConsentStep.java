package io.cloudelements.operator.cli;

import static io.cloudelements.operator.cli.DemoResources.get;
import static io.cloudelements.operator.cli.DemoResources.ready;
import static io.cloudelements.operator.cli.DemoResources.reason;
import static io.cloudelements.operator.cli.DemoWaits.waitFor;

import io.cloudelements.operator.embedded.EmbeddedStack;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo's OAuth consent step: for an OAuth resource without a code the operator publishes a
 * consent URL, the simulator's consent page approves and redirects to the operator's callback,
 * which stores the code; the resource becomes Ready.
 */
final class ConsentStep {

  private final EmbeddedStack stack;
  private final KubernetesClient client;
  private final DemoConsole console;

  ConsentStep(EmbeddedStack stack, KubernetesClient client, DemoConsole console) {
    this.stack = stack;
    this.client = client;
    this.console = console;
  }

  void run() {
    PrintStream out = console.out();
    console.begin(
        "OAuth consent: applying newsletter-consent, an OAuth resource without an authorization code");
    DemoResources.apply(
        client, DemoResources.consentResource("newsletter-consent", stack.callbackUrl()));
    waitFor(
        "newsletter-consent to await consent",
        () -> reason(client, "newsletter-consent").equals("AwaitingConsent"));
    String url = get(client, "newsletter-consent").getStatus().getAuthorization().getUrl();
    out.println("  status.authorization.url: " + url);
    out.println(
        "  Opening it through the simulator's consent page (approve), which redirects to the operator's"
            + " callback:");
    approve(url, out);
    waitFor("newsletter-consent to be Ready", () -> ready(client, "newsletter-consent"));
    DemoConsole.pause();
    console.printTable(client);
  }

  private static void approve(String url, PrintStream out) {
    try {
      HttpResponse<String> page =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "&decision=approve"))
                      .timeout(DemoWaits.STEP_TIMEOUT)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String text =
          page.body().replaceAll("(?s).*<p>(.*)</p>.*", "$1").replaceAll("<[^>]+>", "").trim();
      out.printf("  %s -> %d: %s%n", page.uri().getPath(), page.statusCode(), text);
      if (page.statusCode() != 200) {
        throw new DemoCommand.StepFailed("the callback answered " + page.statusCode());
      }
    } catch (IOException e) {
      throw new DemoCommand.StepFailed(
          "the consent page or the callback did not answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoCommand.StepFailed("interrupted while opening the consent URL");
    }
  }
}
