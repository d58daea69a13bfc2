package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What real kubectl asks of the embedded API server, asked over HTTP as kubectl asks it. */
class KubectlEndpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  private static final String CMIS =
      "/apis/cloudelements.io/v1alpha1/namespaces/t/campaignmonitorinstances";

  private static EmbeddedKubernetes kubernetes;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  @Test
  void discoveryDescribesTheCustomResourceFromItsCrd() throws Exception {
    HttpResponse<String> response = get("/apis/cloudelements.io/v1alpha1", "application/json");

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode list = JSON.readTree(response.body());
    assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
    JsonNode cmi = list.path("resources").get(0);
    assertThat(cmi.path("name").asText()).isEqualTo("campaignmonitorinstances");
    assertThat(cmi.path("singularName").asText()).isEqualTo("campaignmonitorinstance");
    assertThat(cmi.path("kind").asText()).isEqualTo("CampaignMonitorInstance");
    assertThat(cmi.path("namespaced").asBoolean()).isTrue();
    assertThat(texts(cmi.path("shortNames"))).containsExactly("cmi");
    assertThat(texts(cmi.path("categories"))).containsExactly("cloudelements");
    assertThat(texts(cmi.path("verbs")))
        .contains("get", "list", "watch", "create", "patch", "delete");
    assertThat(list.path("resources").get(1).path("name").asText())
        .isEqualTo("campaignmonitorinstances/status");
  }

  @Test
  void discoveryOfTheCoreAndTheOtherGroups() throws Exception {
    JsonNode core = JSON.readTree(get("/api/v1", "application/json").body());
    assertThat(core.path("resources").findValuesAsText("name"))
        .contains("namespaces", "secrets", "events", "configmaps");
    assertThat(
            JSON.readTree(get("/api", "application/json").body()).path("versions").get(0).asText())
        .isEqualTo("v1");
    JsonNode groups = JSON.readTree(get("/apis", "application/json").body());
    assertThat(groups.path("groups").findValuesAsText("name"))
        .contains(
            "cloudelements.io", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io");
    JsonNode version = JSON.readTree(get("/version", "application/json").body());
    assertThat(version.path("major").asText()).isEqualTo("1");
    assertThat(version.path("gitVersion").asText()).startsWith("v1.");
  }

  /**
   * kubectl asks for aggregated discovery first; a plain APIGroupList with application/json makes
   * it fall back.
   */
  @Test
  void aggregatedDiscoveryIsAnsweredWithTheLegacyDocument() throws Exception {
    HttpResponse<String> response =
        get(
            "/apis",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("kind").asText()).isEqualTo("APIGroupList");
  }

  @Test
  void aTableWithTheCrdsColumnsInCrdOrder() throws Exception {
    createInstance("shown", "Available", 42);

    HttpResponse<String> response = get(CMIS, TABLE);

    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json;as=Table;v=v1;g=meta.k8s.io");
    JsonNode table = JSON.readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    List<String> expected = new ArrayList<>(List.of("Name"));
    EmbeddedKubernetes.crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .forEach(expected::add);
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactlyElementsOf(expected);
    JsonNode row = rowOf(table, "shown");
    Map<String, JsonNode> cells = cellsByColumn(table, row);
    assertThat(cells.get("READY").asText()).isEqualTo("True");
    assertThat(cells.get("REASON").asText()).isEqualTo("Available");
    assertThat(cells.get("INSTANCE-ID").isIntegralNumber()).isTrue();
    assertThat(cells.get("INSTANCE-ID").asLong()).isEqualTo(42);
    assertThat(cells.get("SECRET").asText()).isEqualTo("shown-instance");
    assertThat(cells.get("AGE").asText()).matches("\\d+s");
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void aResourceWithoutStatusHasEmptyCells() throws Exception {
    post(
        CMIS,
        "{\"apiVersion\":\"cloudelements.io/v1alpha1\",\"kind\":\"CampaignMonitorInstance\","
            + "\"metadata\":{\"name\":\"fresh\"},\"spec\":{\"credentialsRef\":{\"name\":\"c\"}}}");

    JsonNode table = JSON.readTree(get(CMIS + "/fresh", TABLE).body());

    Map<String, JsonNode> cells = cellsByColumn(table, rowOf(table, "fresh"));
    assertThat(cells.get("READY").isNull()).isTrue();
    assertThat(cells.get("INSTANCE-ID").isNull()).isTrue();
  }

  @Test
  void eventsAreFilteredByInvolvedObjectAndListedAsEventList() throws Exception {
    for (String name : List.of("one", "two")) {
      kubernetes
          .client()
          .v1()
          .events()
          .inNamespace("ev")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("e-" + name)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("CampaignMonitorInstance")
                  .withName(name)
                  .withNamespace("ev")
                  .endInvolvedObject()
                  .withReason("Created")
                  .withType("Normal")
                  .build())
          .create();
    }

    JsonNode list =
        JSON.readTree(
            get(
                    "/api/v1/namespaces/ev/events?fieldSelector="
                        + "involvedObject.name%3Done%2CinvolvedObject.kind%3DCampaignMonitorInstance&limit=500",
                    "application/json")
                .body());

    assertThat(list.path("kind").asText()).isEqualTo("EventList");
    assertThat(list.path("items").findValuesAsText("name"))
        .contains("e-one")
        .doesNotContain("e-two");
    JsonNode notOne =
        JSON.readTree(
            get(
                    "/api/v1/namespaces/ev/events?fieldSelector=involvedObject.name!%3Done",
                    "application/json")
                .body());
    assertThat(notOne.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("e-two");
  }

  @Test
  void anHttpWatchReportsChangesAfterTheResourceVersionIncludingDeletions() throws Exception {
    String collection = "/api/v1/namespaces/w/secrets";
    String since =
        JSON.readTree(get(collection, "application/json").body())
            .path("metadata")
            .path("resourceVersion")
            .asText();
    kubernetes
        .client()
        .secrets()
        .inNamespace("w")
        .resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build())
        .create();
    kubernetes.client().secrets().inNamespace("w").withName("s").delete();

    HttpResponse<String> watch =
        get(
            collection + "?watch=true&fieldSelector=metadata.name%3Ds&resourceVersion=" + since,
            "application/json");

    List<String> types =
        watch.body().lines().map(line -> read(line).path("type").asText()).toList();
    assertThat(types).containsExactly("ADDED", "DELETED");
  }

  /**
   * client-go counts a watch that ends in under a second with nothing in it as an error, and backs
   * off.
   */
  @Test
  void aQuietHttpWatchLastsOverASecond() throws Exception {
    String collection = "/api/v1/namespaces/quiet/secrets";
    String since =
        JSON.readTree(get(collection, "application/json").body())
            .path("metadata")
            .path("resourceVersion")
            .asText();

    Instant start = Instant.now();
    HttpResponse<String> watch =
        get(collection + "?watch=true&resourceVersion=" + since, "application/json");

    assertThat(Duration.between(start, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(watch.statusCode()).isEqualTo(200);
    assertThat(watch.body()).isBlank();
  }

  @Test
  void aMergePatchReplacesArraysAndAStrategicOneIsAccepted() throws Exception {
    post(
        CMIS,
        "{\"apiVersion\":\"cloudelements.io/v1alpha1\",\"kind\":\"CampaignMonitorInstance\","
            + "\"metadata\":{\"name\":\"tagged\"},\"spec\":{\"credentialsRef\":{\"name\":\"c\"},\"tags\":[\"a\",\"b\",\"c\"]}}");

    HttpResponse<String> merged =
        patch(
            CMIS + "/tagged",
            "application/merge-patch+json",
            "{\"spec\":{\"tags\":[\"a\",\"b\"]}}");
    assertThat(merged.statusCode() / 100).as(merged.body()).isEqualTo(2);
    assertThat(texts(read(merged.body()).path("spec").path("tags"))).containsExactly("a", "b");

    kubernetes
        .client()
        .secrets()
        .inNamespace("t")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("k")
                .endMetadata()
                .addToStringData("a", "1")
                .build())
        .create();
    HttpResponse<String> strategic =
        patch(
            "/api/v1/namespaces/t/secrets/k",
            "application/strategic-merge-patch+json",
            "{\"$setElementOrder/x\":[],\"metadata\":{\"annotations\":{\"applied\":\"yes\"}},\"stringData\":{\"b\":\"2\"}}");
    assertThat(strategic.statusCode() / 100).as(strategic.body()).isEqualTo(2);
    JsonNode secret = read(strategic.body());
    assertThat(secret.path("metadata").path("annotations").path("applied").asText())
        .isEqualTo("yes");
    assertThat(secret.path("stringData").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("a", "b");
    assertThat(secret.has("$setElementOrder/x")).isFalse();
  }

  /** The mock answers unknown paths with everything it stores; OpenAPI must not. */
  @Test
  void openApiV3DeclaresFieldValidationAndLeaksNothing() throws Exception {
    kubernetes
        .client()
        .secrets()
        .inNamespace("o")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("hush")
                .endMetadata()
                .addToStringData("k", "do-not-show")
                .build())
        .create();

    JsonNode index = JSON.readTree(get("/openapi/v3", "application/json").body());
    String url =
        index
            .path("paths")
            .path("apis/cloudelements.io/v1alpha1")
            .path("serverRelativeURL")
            .asText();
    String document = get(url, "application/json").body();

    assertThat(
            read(document)
                .path("paths")
                .path(
                    "/apis/cloudelements.io/v1alpha1/namespaces/{namespace}/campaignmonitorinstances/{name}")
                .path("patch")
                .path("parameters")
                .findValuesAsText("name"))
        .contains("fieldValidation");
    assertThat(get("/openapi/v2", "application/json").statusCode()).isEqualTo(404);
    assertThat(index.toString() + document + get("/openapi/v2", "application/json").body())
        .doesNotContain("do-not-show");
  }

  private static void createInstance(String name, String reason, long instanceId) throws Exception {
    post(
        CMIS,
        "{\"apiVersion\":\"cloudelements.io/v1alpha1\",\"kind\":\"CampaignMonitorInstance\","
            + "\"metadata\":{\"name\":\""
            + name
            + "\"},\"spec\":{\"credentialsRef\":{\"name\":\"c\"}}}");
    HttpResponse<String> status =
        patch(
            CMIS + "/" + name + "/status",
            "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"instanceId\":"
                + instanceId
                + ",\"secretName\":\""
                + name
                + "-instance\",\"conditions\":[{\"type\":\"Reconciling\",\"status\":\"False\",\"reason\":\"Idle\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\""
                + reason
                + "\"}]}}]");
    assertThat(status.statusCode() / 100).as(status.body()).isEqualTo(2);
  }

  private static JsonNode rowOf(JsonNode table, String name) {
    for (JsonNode row : table.path("rows")) {
      if (row.path("cells").get(0).asText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no row " + name + " in " + table);
  }

  private static Map<String, JsonNode> cellsByColumn(JsonNode table, JsonNode row) {
    Map<String, JsonNode> cells = new java.util.HashMap<>();
    for (int i = 0; i < table.path("columnDefinitions").size(); i++) {
      cells.put(
          table.path("columnDefinitions").get(i).path("name").asText(), row.path("cells").get(i));
    }
    return cells;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void post(String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private static HttpResponse<String> patch(String path, String type, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", type)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create(kubernetes.url().replaceAll("/$", "") + path);
  }
}
