package io.cloudelements.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudelements.operator.crd.CrdValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample resources of examples/: each file is complete (its Secrets first, with stringData,
 * then one CampaignMonitorInstance), namespace-less, valid against the generated CRD, and every
 * Secret reference resolves inside the file. The embedded demo applies them, so their names are
 * pinned.
 */
class ExamplesTest {

  static final Path EXAMPLES = HelmChart.BASEDIR.resolve("examples");
  static final Map<String, String> PINNED =
      Map.of(
          "oauth.yaml", "newsletter",
          "basic-with-events.yaml", "newsletter-basic",
          "orphan.yaml", "newsletter-orphan",
          "adopt.yaml", "newsletter-adopted");

  private static CrdValidator crd;

  @BeforeAll
  static void loadCrd() {
    crd = CrdValidator.forGeneratedCrd();
  }

  static Stream<String> files() throws IOException {
    try (Stream<Path> list = Files.list(EXAMPLES)) {
      return list
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void theDemoFilesExistWithTheirResourceNames() {
    PINNED.forEach(
        (file, name) -> {
          assertThat(EXAMPLES.resolve(file)).isRegularFile();
          assertThat(
                  resource(Manifests.documents(EXAMPLES.resolve(file)))
                      .path("metadata")
                      .path("name")
                      .asText())
              .as(file)
              .isEqualTo(name);
        });
  }

  @ParameterizedTest
  @MethodSource("files")
  void secretsFirstThenOneResourceWithoutNamespace(String file) {
    List<JsonNode> docs = Manifests.documents(EXAMPLES.resolve(file));
    assertThat(docs.size()).as(file).isGreaterThanOrEqualTo(2);
    for (int i = 0; i < docs.size(); i++) {
      JsonNode doc = docs.get(i);
      assertThat(doc.path("metadata").has("namespace"))
          .as(file + " document " + i + " names a namespace")
          .isFalse();
      if (i < docs.size() - 1) {
        assertThat(doc.path("kind").asText()).as(file + " document " + i).isEqualTo("Secret");
        assertThat(doc.path("apiVersion").asText()).isEqualTo("v1");
      } else {
        assertThat(doc.path("kind").asText())
            .as(file + " last document")
            .isEqualTo("CampaignMonitorInstance");
        assertThat(doc.path("apiVersion").asText()).isEqualTo("cloudelements.io/v1alpha1");
      }
    }
    List<HasMetadata> secrets = Manifests.parseTyped(file, docs.subList(0, docs.size() - 1));
    for (Secret s : Manifests.all(secrets, Secret.class)) {
      assertThat(s.getType()).as(file + " " + s.getMetadata().getName()).isEqualTo("Opaque");
      assertThat(s.getStringData()).as("stringData of " + s.getMetadata().getName()).isNotEmpty();
      assertThat(s.getData()).as("data of " + s.getMetadata().getName()).isNullOrEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void resourceIsValidAgainstTheGeneratedCrd(String file) {
    JsonNode resource = resource(Manifests.documents(EXAMPLES.resolve(file)));
    if (resource.path("spec").has("instanceId")) {
      assumeTrue(
          crd.openApiV3Schema()
              .path("properties")
              .path("spec")
              .path("properties")
              .has("instanceId"),
          "spec.instanceId is not in the generated CRD yet (lifecycle issue): "
              + file
              + " not validated");
    }
    CrdValidator.Result result = crd.check(resource, null, CrdValidator.FieldValidation.STRICT);
    assertThat(result.errors()).as(file).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("files")
  void everySecretReferenceResolvesInTheSameFile(String file) {
    List<JsonNode> docs = Manifests.documents(EXAMPLES.resolve(file));
    Map<String, JsonNode> secrets = new HashMap<>();
    docs.stream()
        .filter(d -> d.path("kind").asText().equals("Secret"))
        .forEach(d -> secrets.put(d.path("metadata").path("name").asText(), d.path("stringData")));
    JsonNode spec = resource(docs).path("spec");

    String credentials = spec.path("credentialsRef").path("name").asText();
    assertThat(secrets).as(file + ": credentials Secret").containsKey(credentials);
    assertThat(secrets.get(credentials).has("userSecret")).as(file).isTrue();
    assertThat(secrets.get(credentials).has("organizationSecret")).as(file).isTrue();

    List<JsonNode> refs = new ArrayList<>();
    spec.path("oauth")
        .properties()
        .forEach(
            e -> {
              if (e.getKey().endsWith("Ref")) {
                refs.add(e.getValue());
              }
            });
    if (spec.path("basic").has("apiKeyRef")) {
      refs.add(spec.path("basic").path("apiKeyRef"));
    }
    assertThat(refs).as(file + ": oauth or basic references").isNotEmpty();
    for (JsonNode ref : refs) {
      String name = ref.path("name").asText();
      assertThat(secrets).as(file + ": Secret " + name).containsKey(name);
      assertThat(secrets.get(name).has(ref.path("key").asText()))
          .as(file + ": key " + ref.path("key").asText() + " of Secret " + name)
          .isTrue();
    }
    for (JsonNode url :
        List.of(spec.path("oauth").path("callbackUrl"), spec.path("events").path("callbackUrl"))) {
      if (!url.isMissingNode()) {
        assertThat(url.asText()).as(file + " callback URL").startsWith("https://");
      }
    }
  }

  @Test
  void eachExampleShowsItsFeature() {
    JsonNode oauth = spec("oauth.yaml");
    assertThat(oauth.has("oauth")).isTrue();
    assertThat(oauth.has("basic")).isFalse();

    JsonNode events = spec("basic-with-events.yaml");
    assertThat(events.has("basic")).isTrue();
    assertThat(events.path("events").path("enabled").asBoolean()).isTrue();
    assertThat(events.path("events").path("listIds")).isNotEmpty();

    assertThat(spec("orphan.yaml").path("deletionPolicy").asText()).isEqualTo("Orphan");
    assertThat(spec("orphan.yaml").has("instanceId")).isFalse();

    assertThat(spec("adopt.yaml").path("instanceId").isIntegralNumber()).isTrue();
  }

  /** Applying several examples into one namespace must not flip a shared Secret's values. */
  @Test
  void secretsSharedBetweenExamplesHaveTheSameValues() throws IOException {
    Map<String, JsonNode> seen = new HashMap<>();
    Map<String, String> seenIn = new HashMap<>();
    for (String file : files().toList()) {
      for (JsonNode doc : Manifests.documents(EXAMPLES.resolve(file))) {
        if (doc.path("kind").asText().equals("Secret")) {
          String name = doc.path("metadata").path("name").asText();
          JsonNode previous = seen.putIfAbsent(name, doc.path("stringData"));
          seenIn.putIfAbsent(name, file);
          if (previous != null) {
            assertThat(doc.path("stringData"))
                .as("Secret " + name + " in " + file + " and " + seenIn.get(name))
                .isEqualTo(previous);
          }
        }
      }
    }
  }

  private static JsonNode spec(String file) {
    return resource(Manifests.documents(EXAMPLES.resolve(file))).path("spec");
  }

  private static JsonNode resource(List<JsonNode> docs) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals("CampaignMonitorInstance"))
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one CampaignMonitorInstance");
            })
        .orElseThrow(() -> new AssertionError("no CampaignMonitorInstance"));
  }
}
