package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.reconciler.InstanceSecret;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.testing.Canaries;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Suite 5, secret leakage. Every secret handed to the operator is a unique canary, and every token
 * the simulator issues is known; everything a person or a tool can read is scanned for each of them
 * (as is, Base64, URL-safe Base64, URL-encoded). The other suites scan what they captured the same
 * way (crash processes' DEBUG output and metrics included); this one adds the error paths, the
 * metrics endpoint and the demo's output, and proves that the scanner finds what it is meant to
 * find.
 */
class SecretLeakIT {

  @Test
  void theScannerFindsEveryFormOfAPlantedSecret() {
    String canary = Canaries.fresh("planted");
    String b64 = Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8));
    String url =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(canary.getBytes(StandardCharsets.UTF_8));
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("plain", "message with " + canary + " inside");
    sources.put("base64", "data: {token: " + b64 + "}");
    sources.put("base64url", "x" + url);
    sources.put("clean", "nothing here");

    assertThat(LeakScanner.scan(sources, List.of(canary)))
        .extracting(LeakScanner.Finding::source)
        .containsOnly("plain", "base64", "base64url")
        .contains("plain", "base64", "base64url");
    assertThat(LeakScanner.scan(sources, List.of(canary)))
        .allSatisfy(
            f ->
                assertThat(f.toString())
                    .doesNotContain(canary)
                    .doesNotContain(b64)
                    .contains("<LEAK>"));
    String token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEf";
    assertThat(token).hasSize(44);
    assertThat(LeakScanner.scanTokenShapes("demo", "token " + token + ".")).hasSize(1);
    assertThat(LeakScanner.scanTokenShapes("demo", "uid 00000000-0000-0000-0000-000000000028"))
        .isEmpty();
    String key = WebhookSignatureKey.generate(new java.security.SecureRandom()).value();
    assertThat(LeakScanner.scanWebhookKeyShapes("demo", "key " + key + ".")).hasSize(1);
    assertThat(LeakScanner.scanWebhookKeyShapes("demo", "token " + token + ".")).isEmpty();
  }

  @Test
  void theOperatorAsTheJarRunsItLeaksNothingOnItsErrorPaths() throws Exception {
    AtomicBoolean failSecretWrite = new AtomicBoolean(true);
    try (OperatorStack stack =
        OperatorStack.builder()
            .namespace("leak")
            .asRuntimeWithLeaderElection("leak")
            .resync(Duration.ofSeconds(2))
            .beforeOperatorStart(
                k ->
                    k.dispatcher()
                        .intercept(
                            request -> {
                              // The API server refuses the first output Secret write (422: not
                              // retried by the client): an exception
                              // path with a stack trace.
                              if ("POST".equals(request.getMethod())
                                  && request.getPath().startsWith("/api/v1/namespaces/leak/secrets")
                                  && ApiCall.body(request).contains("\"name\":\"ok-instance\"")
                                  && failSecretWrite.compareAndSet(true, false)) {
                                return new MockResponse()
                                    .setResponseCode(422)
                                    .setHeader("Content-Type", "application/json")
                                    .setBody(
                                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":422,"
                                            + "\"reason\":\"Invalid\",\"message\":\"Secret is invalid\"}");
                              }
                              return null;
                            }))
            .start()) {
      Duration t = Duration.ofSeconds(30);
      stack.credentials("account");
      // Created, then the Secret write fails once, then drift, re-authorization and deletion.
      stack.createSecret("ok-key", Map.of("apiKey", stack.canary("apikey")));
      stack.apply(InstanceYaml.basic("ok", "ok", "").replace("ok-account", "account"));
      stack.createSecret(
          "oa-app",
          Map.of("consumerKey", stack.canary("ck"), "consumerSecret", stack.canary("cs")));
      stack.createSecret("oa-grant", Map.of("code", stack.canary("code")));
      stack.apply(
          InstanceYaml.oauth(
                  "oa",
                  "oa",
                  "events: {enabled: true, callbackUrl: \"https://hooks.example.com/x\"}")
              .replace("oa-account", "account"));
      stack.awaitReason("ok", "Available", t);
      stack.awaitReason("oa", "Available", t);
      // Webhook signature keys: generated (then rotated by the annotation) and the user's own (then
      // changed).
      String generated = awaitWebhookKey(stack, "oa-instance", null, t);
      stack.edit(
          "oa",
          cr -> {
            cr.getMetadata()
                .setAnnotations(Map.of(WebhookKeyPlanner.ROTATE_ANNOTATION, "leak-scan"));
            return cr;
          });
      awaitWebhookKey(stack, "oa-instance", generated, t);
      stack.createSecret("hook-key", Map.of("apiKey", stack.canary("apikey")));
      stack.createSecret("hook-signing", Map.of("key", stack.canary("signature-key")));
      stack.apply(
          InstanceYaml.basic(
                  "hook",
                  "hook",
                  """
          events:
              enabled: true
              callbackUrl: "https://hooks.example.com/signed"
              signatureKeyRef: {name: hook-signing, key: key}
          """)
              .replace("hook-account", "account"));
      String own = awaitWebhookKey(stack, "hook-instance", null, t);
      stack
          .client()
          .secrets()
          .inNamespace("leak")
          .withName("hook-signing")
          .edit(
              s -> {
                s.setData(null);
                s.setStringData(Map.of("key", stack.canary("signature-key2")));
                return s;
              });
      awaitWebhookKey(stack, "hook-instance", own, t);
      stack
          .client()
          .secrets()
          .inNamespace("leak")
          .withName("oa-grant")
          .edit(
              s -> {
                s.setData(null);
                s.setStringData(Map.of("code", stack.canary("code2")));
                return s;
              });
      await()
          .atMost(t)
          .until(() -> stack.events().stream().anyMatch(e -> "Reauthorized".equals(e.getReason())));
      stack.client().secrets().inNamespace("leak").withName("ok-instance").delete();
      await().atMost(t).until(() -> stack.secret("ok-instance").isPresent());

      // Refusals and outages, each with its message in status, Events and logs.
      stack.createSecret(
          "bad-account",
          Map.of(
              "userSecret",
              stack.canary("wrong-user"),
              "organizationSecret",
              stack.canary("wrong-org")));
      stack.createSecret("denied-key", Map.of("apiKey", stack.canary("apikey")));
      stack.apply(
          InstanceYaml.basic("denied", "denied", "").replace("denied-account", "bad-account"));
      stack.awaitReason("denied", "CredentialsRejected", t);
      for (int status : new int[] {400, 503}) {
        String name = "fail" + status;
        stack
            .simulator()
            .inject(Fault.status(status).on("POST", "/instances").withTag(name).times(2));
        stack.createSecret(name + "-key", Map.of("apiKey", stack.canary("apikey")));
        stack.apply(
            InstanceYaml.basic(name, name, "tags: [" + name + "]")
                .replace(name + "-account", "account"));
      }
      stack.awaitReason("fail400", "RequestRejected", t);
      stack.awaitReason("fail503", "Available", t);
      stack.simulator().inject(Fault.resetBeforeProcessing().on("GET", "/instances/").times(2));
      stack.createSecret(
          "reused-app",
          Map.of("consumerKey", stack.canary("ck"), "consumerSecret", stack.canary("cs")));
      stack.createSecret(
          "reused-grant",
          Map.of(
              "code",
              stack.secretValues().stream()
                  .filter(v -> v.startsWith("canary-code-"))
                  .findFirst()
                  .orElseThrow()));
      stack.apply(InstanceYaml.oauth("reused", "reused", "").replace("reused-account", "account"));
      stack.awaitReason("reused", "RequestRejected", t);
      stack.delete("oa");
      stack.awaitGone("oa", t);
      assertThat(failSecretWrite.get()).as("the failing Secret write happened").isFalse();

      Map<String, String> sources = stack.visible();
      sources.put("metrics (registry scrape)", stack.runtime().registry().scrape());
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + stack.runtime().managementPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      sources.put("GET /metrics", metrics.body());
      assertThat(sources.get("operator logs (DEBUG, with exceptions)"))
          .as("the error paths were logged")
          .contains("Kubernetes API answered 422")
          .contains("\tat ")
          .contains("answered 401")
          .contains("answered 400");
      long scanned = LeakScanner.assertClean(sources, stack.secretValues());
      System.out.printf(
          "SecretLeakIT: %d sources, %d characters, %d secrets: clean%n",
          sources.size(), scanned, stack.secretValues().size());
    }
  }

  @Test
  void theDemoPrintsNoSecret() throws Exception {
    assertThat(OperatorProcess.JAR).exists();
    List<String> exampleSecrets = exampleSecretValues();
    assertThat(exampleSecrets).hasSizeGreaterThanOrEqualTo(5);
    Path log = Files.createTempFile("demo-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                OperatorProcess.JAR.toString(),
                "demo",
                "--verbose")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("LOG_LEVEL", "DEBUG");
    Process demo = builder.start();
    boolean finished = demo.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      demo.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished).as(output).isTrue();
    int exit = demo.exitValue();
    Map<String, String> outputs = Map.of("demo --verbose at DEBUG", output);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("DEBUG").contains("All 8 steps passed");
    LeakScanner.assertClean(outputs, exampleSecrets);
    outputs.forEach(
        (name, text) ->
            assertThat(LeakScanner.scanTokenShapes(name, text))
                .as("token-shaped strings")
                .isEmpty());
    outputs.forEach(
        (name, text) ->
            assertThat(LeakScanner.scanWebhookKeyShapes(name, text))
                .as("webhook-key-shaped strings (the demo's generated key)")
                .isEmpty());
  }

  /**
   * Waits until the output Secret holds a webhook signature key other than {@code previous};
   * remembers it.
   */
  private static String awaitWebhookKey(
      OperatorStack stack, String secretName, String previous, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () ->
                stack
                    .secret(secretName)
                    .flatMap(InstanceSecret::signatureKey)
                    .filter(k -> !k.equals(previous))
                    .isPresent());
    String key = stack.secret(secretName).flatMap(InstanceSecret::signatureKey).orElseThrow();
    stack.remember(key);
    return key;
  }

  /** Every value of every Secret in examples/, which the demo applies. */
  private static List<String> exampleSecretValues() throws Exception {
    List<String> values = new ArrayList<>();
    Path examples = Path.of(System.getProperty("basedir", "."), "examples");
    try (Stream<Path> files = Files.list(examples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
          if (!doc.contains("kind: Secret")) {
            continue;
          }
          GenericKubernetesResource secret =
              Serialization.unmarshal(doc, GenericKubernetesResource.class);
          Object data = secret.getAdditionalProperties().get("stringData");
          if (data instanceof Map<?, ?> map) {
            map.values().forEach(v -> values.add(String.valueOf(v)));
          }
        }
      }
    }
    return values;
  }
}
