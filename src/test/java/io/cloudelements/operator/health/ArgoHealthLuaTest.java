package io.cloudelements.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.OsLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;

/**
 * Runs {@code helm/campaign-monitor-operator/argocd/health.lua} with a real Lua interpreter (LuaJ)
 * the way Argo CD runs a custom health check, over the table in {@code health_test.yaml} (the
 * format of Argo CD's own {@code resource_customizations/<group>/<kind>/health_test.yaml}: {@code
 * tests: - healthStatus: {status, message}, inputPath: testdata/x.yaml}), whose inputs are the
 * committed state fixtures.
 *
 * <p>Like Argo CD's VM (util/lua): the object is the global {@code obj} (JSON decoded to tables,
 * numbers as float64); only the base, package and table libraries and an os table with just {@code
 * time} and {@code date} are open (no string, math or io); the script's return value must be a
 * table whose {@code status} is a known health code; one second at most.
 */
class ArgoHealthLuaTest {

  private static final Path SCRIPT = HealthFixtures.ARGOCD_DIR.resolve("health.lua");
  private static final Path TABLE = HealthFixtures.ARGOCD_DIR.resolve("health_test.yaml");
  private static final Set<String> HEALTH_CODES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record HealthStatus(String status, String message) {}

  private static String script;

  @BeforeAll
  static void readScript() throws IOException {
    script = Files.readString(SCRIPT);
    run(
        HealthFixtures.load(HealthFixtures.READY),
        script); // warm up LuaJ before the 1 s limits apply
  }

  @TestFactory
  Stream<DynamicTest> everyRowOfHealthTestYaml() throws IOException {
    return rows().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.inputPath() + " -> " + row.expected().status(),
                    () -> {
                      Map<String, Object> obj =
                          HealthFixtures.load(HealthFixtures.ARGOCD_DIR.resolve(row.inputPath()));
                      HealthStatus actual =
                          assertTimeoutPreemptively(Duration.ofSeconds(1), () -> run(obj, script));
                      assertThat(actual).isEqualTo(row.expected());
                    }));
  }

  /**
   * The table must cover every state and say what the issue asks, so it cannot be bent to fit a
   * broken script.
   */
  @Test
  void theTableCoversEveryStateWithTheExpectedHealth() throws IOException {
    Map<String, HealthStatus> byFixture = new LinkedHashMap<>();
    for (Row row : rows()) {
      byFixture.put(
          Path.of(row.inputPath()).getFileName().toString().replace(".yaml", ""), row.expected());
    }
    assertThat(byFixture.keySet())
        .containsExactlyInAnyOrderElementsOf(HealthFixtures.all().keySet());

    assertThat(byFixture)
        .extractingFromEntries(e -> e.getKey() + "=" + e.getValue().status())
        .containsExactlyInAnyOrder(
            "new=Progressing",
            "creating=Progressing",
            "ready=Healthy",
            "retrying=Progressing",
            "terminal=Degraded",
            "paused=Suspended",
            "deleting=Progressing",
            "stale-ready=Progressing",
            "awaiting-consent=Progressing",
            "consent-denied=Degraded");
    assertThat(byFixture.get(HealthFixtures.AWAITING_CONSENT).message())
        .isEqualTo(conditionMessage(HealthFixtures.AWAITING_CONSENT, "Ready"));
    assertThat(byFixture.get(HealthFixtures.CONSENT_DENIED).message())
        .isEqualTo(conditionMessage(HealthFixtures.CONSENT_DENIED, "Stalled"));
    assertThat(byFixture.get(HealthFixtures.TERMINAL).message())
        .isEqualTo(conditionMessage(HealthFixtures.TERMINAL, "Stalled"));
    for (String name :
        List.of(
            HealthFixtures.CREATING,
            HealthFixtures.RETRYING,
            HealthFixtures.DELETING,
            HealthFixtures.READY,
            HealthFixtures.PAUSED)) {
      assertThat(byFixture.get(name).message()).as(name).isEqualTo(conditionMessage(name, "Ready"));
    }
    assertThat(byFixture.get(HealthFixtures.STALE_READY).message()).contains("generation 2");
  }

  @Test
  void pausedCountsWhetherTheOperatorAcknowledgedItOrNot() {
    // Annotation set, operator not there yet: the status still says Ready=True.
    Map<String, Object> requested = HealthFixtures.load(HealthFixtures.READY);
    metadata(requested).put("annotations", Map.of("cloudelements.io/paused", "true"));
    assertThat(run(requested, script))
        .isEqualTo(
            new HealthStatus(
                "Suspended", "Paused by the annotation cloudelements.io/paused=\"true\""));

    // Another spelling the operator accepts: it reports Ready=False reason Paused, which the script
    // also reads.
    Map<String, Object> otherSpelling = HealthFixtures.load(HealthFixtures.PAUSED);
    metadata(otherSpelling).put("annotations", Map.of("cloudelements.io/paused", "True"));
    assertThat(run(otherSpelling, script).status()).isEqualTo("Suspended");

    // A stale generation does not hide a pause: a paused operator will not catch up.
    Map<String, Object> pausedAndEdited = HealthFixtures.load(HealthFixtures.PAUSED);
    metadata(pausedAndEdited).put("generation", 2L);
    assertThat(run(pausedAndEdited, script).status()).isEqualTo("Suspended");
  }

  @Test
  void statusWithoutConditionsIsProgressing() {
    Map<String, Object> obj = HealthFixtures.load(HealthFixtures.READY);
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) obj.get("status");
    status.remove("conditions");
    assertThat(run(obj, script))
        .isEqualTo(
            new HealthStatus(
                "Progressing", "Waiting for the operator to report the Ready condition"));
  }

  @Test
  void theSandboxIsAsNarrowAsArgoCds() {
    Globals g = argoGlobals(Map.of());
    assertThat(g.get("string").isnil()).as("string library").isTrue();
    assertThat(g.get("math").isnil()).as("math library").isTrue();
    assertThat(g.get("io").isnil()).as("io library").isTrue();
    assertThat(g.get("table").istable()).isTrue();
    LuaValue os = g.get("os");
    assertThat(os.get("time").isfunction()).isTrue();
    assertThat(os.get("date").isfunction()).isTrue();
    assertThat(os.get("execute").isnil()).isTrue();
    assertThat(os.get("exit").isnil()).isTrue();
  }

  /**
   * docs/gitops.md carries the script inline in its argocd-cm example; it must be this very script.
   */
  @Test
  void theArgocdCmExampleInTheDocsHoldsThisScript() {
    List<JsonNode> configMaps =
        GitopsDoc.ofKind("ConfigMap").stream()
            .filter(cm -> "argocd-cm".equals(cm.path("metadata").path("name").asText()))
            .toList();
    assertThat(configMaps).hasSize(1);
    JsonNode data = configMaps.get(0).path("data");
    assertThat(
            data.path("resource.customizations.health.cloudelements.io_CampaignMonitorInstance")
                .asText())
        .isEqualTo(script);
  }

  // ------------------------------------------------------------------ the Argo CD-like Lua VM

  /**
   * ExecuteHealthLua: run the script with {@code obj} set, and read the returned table as a
   * HealthStatus.
   */
  static HealthStatus run(Map<String, Object> obj, String script) {
    Globals g = argoGlobals(obj);
    LuaValue result = g.load(script, "health.lua").call();
    if (!result.istable()) {
      throw new AssertionError(
          "expect the returned value to be a table but got " + result.typename());
    }
    String status = result.get("status").isnil() ? "" : result.get("status").checkjstring();
    String message = result.get("message").isnil() ? "" : result.get("message").checkjstring();
    if (!HEALTH_CODES.contains(status)) {
      return new HealthStatus("Unknown", "Lua returned an invalid health status");
    }
    return new HealthStatus(status, message);
  }

  private static Globals argoGlobals(Map<String, Object> obj) {
    Globals g = new Globals();
    g.load(new BaseLib());
    g.load(new PackageLib());
    g.load(new TableLib());
    g.load(new OsLib());
    LuaValue fullOs = g.get("os");
    LuaTable safeOs = new LuaTable();
    safeOs.set("time", fullOs.get("time"));
    safeOs.set("date", fullOs.get("date"));
    g.set("os", safeOs);
    g.get("package").get("loaded").set("os", safeOs);
    LoadState.install(g);
    LuaC.install(g);
    g.set("obj", toLua(obj));
    return g;
  }

  /**
   * Like Argo CD's decodeValue: maps and lists to tables (lists 1-based), numbers to float64, null
   * to nil.
   */
  private static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable t = new LuaTable();
      map.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
      return t;
    }
    if (value instanceof List<?> list) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        t.set(i + 1, toLua(list.get(i)));
      }
      return t;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return LuaValue.valueOf(value.toString());
  }

  // ------------------------------------------------------------------ the test table

  record Row(HealthStatus expected, String inputPath) {}

  private static List<Row> rows() throws IOException {
    JsonNode table = YAML.readTree(TABLE.toFile());
    List<Row> rows = new ArrayList<>();
    for (JsonNode test : table.path("tests")) {
      JsonNode hs = test.path("healthStatus");
      rows.add(
          new Row(
              new HealthStatus(hs.path("status").asText(), hs.path("message").asText()),
              test.path("inputPath").asText()));
    }
    assertThat(rows).as("tests in %s", TABLE).isNotEmpty();
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static String conditionMessage(String fixture, String type) {
    Map<String, Object> status = (Map<String, Object>) HealthFixtures.load(fixture).get("status");
    for (Object c : (List<Object>) status.get("conditions")) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if (type.equals(condition.get("type"))) {
        return (String) condition.get("message");
      }
    }
    throw new AssertionError(fixture + " has no " + type + " condition");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> obj) {
    return (Map<String, Object>) obj.get("metadata");
  }
}
