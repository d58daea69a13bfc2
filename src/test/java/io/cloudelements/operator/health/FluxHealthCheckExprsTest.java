package io.cloudelements.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.reconciler.Outcome;
import io.cloudelements.operator.reconciler.ReadyReason;
import io.cloudelements.operator.reconciler.StatusConditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code healthCheckExprs} of docs/gitops.md, read from the document itself, evaluated with
 * dev.cel over the committed state fixtures the way Flux's kustomize-controller (fluxcd/pkg
 * runtime/cel StatusEvaluator) does:
 *
 * <ol>
 *   <li>if {@code status.observedGeneration} exists and differs from {@code metadata.generation}:
 *       InProgress;
 *   <li>then {@code inProgress}, {@code failed}, {@code current}, in that order: the first that is
 *       true wins;
 *   <li>none true: InProgress;
 *   <li>an evaluation error (such as a missing {@code status}) makes the generic status reader
 *       report Unknown, so Flux keeps waiting.
 * </ol>
 *
 * The variables are the object's top-level fields. Flux only parses the expressions (no type
 * check); dev.cel needs a checked AST, so apiVersion, kind, metadata, spec and status are declared
 * {@code dyn}, which checks nothing more. The environment has Flux's extensions (strings, sets,
 * encoders, optional types) and cross-type numeric comparisons.
 */
class FluxHealthCheckExprsTest {

  enum FluxStatus {
    InProgress,
    Failed,
    Current,
    Unknown
  }

  record Exprs(String apiVersion, String kind, String current, String inProgress, String failed) {}

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableOptionalSyntax(true)
          .enableHeterogeneousNumericComparisons(true)
          .build();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(
              CelExtensions.strings(),
              CelExtensions.sets(OPTIONS),
              CelExtensions.encoders(),
              CelExtensions.optional())
          .addVar("apiVersion", SimpleType.DYN)
          .addVar("kind", SimpleType.DYN)
          .addVar("metadata", SimpleType.DYN)
          .addVar("spec", SimpleType.DYN)
          .addVar("status", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .setOptions(OPTIONS)
          .addLibraries(
              CelExtensions.strings(),
              CelExtensions.sets(OPTIONS),
              CelExtensions.encoders(),
              CelExtensions.optional())
          .build();

  private static Exprs exprs;

  @BeforeAll
  static void readTheDocs() {
    List<JsonNode> kustomizations = GitopsDoc.ofKind("Kustomization");
    assertThat(kustomizations).as("Kustomization examples in docs/gitops.md").isNotEmpty();
    assertThat(kustomizations)
        .as("every example waits (kstatus or CEL)")
        .allSatisfy(k -> assertThat(k.path("spec").path("wait").asBoolean()).isTrue());
    List<JsonNode> withExprs =
        kustomizations.stream()
            .flatMap(
                k ->
                    java.util.stream.StreamSupport.stream(
                        k.path("spec").path("healthCheckExprs").spliterator(), false))
            .filter(
                e ->
                    "cloudelements.io/v1alpha1".equals(e.path("apiVersion").asText())
                        && "CampaignMonitorInstance".equals(e.path("kind").asText()))
            .toList();
    assertThat(withExprs)
        .as("healthCheckExprs for CampaignMonitorInstance in docs/gitops.md")
        .hasSize(1);
    JsonNode e = withExprs.get(0);
    exprs =
        new Exprs(
            e.path("apiVersion").asText(),
            e.path("kind").asText(),
            text(e, "current"),
            text(e, "inProgress"),
            text(e, "failed"));
  }

  @Test
  void theDocumentedExpressionsAreComplete() {
    assertThat(exprs.current()).as("current is mandatory in Flux").isNotBlank();
    assertThat(exprs.inProgress()).isNotBlank();
    assertThat(exprs.failed()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "creating,    InProgress",
    "ready,       Current",
    "retrying,    InProgress",
    "terminal,    Failed",
    "paused,      InProgress",
    "deleting,    InProgress",
    "stale-ready, InProgress",
    "awaiting-consent, InProgress",
    "consent-denied, Failed",
    // No status yet: the expressions cannot read status, Flux reports Unknown and waits for the
    // operator,
    // where plain kstatus would already say Current.
    "new,         Unknown",
  })
  void eachStateEvaluatesAsExpected(String fixture, FluxStatus expected) {
    assertThat(evaluate(exprs, HealthFixtures.load(fixture))).isEqualTo(expected);
  }

  /**
   * Equivalent to kstatus except in two states: with no status yet kstatus says Current and these
   * expressions wait (Unknown); while deleting kstatus says Terminating and these say InProgress.
   * Neither is Current.
   */
  @Test
  void agreesWithKstatusExceptBeforeTheFirstStatusAndWhileDeleting() {
    for (String fixture : HealthFixtures.all().keySet()) {
      if (fixture.equals(HealthFixtures.NEW) || fixture.equals(HealthFixtures.DELETING)) {
        continue;
      }
      Map<String, Object> obj = HealthFixtures.load(fixture);
      assertThat(evaluate(exprs, obj).name())
          .as(fixture)
          .isEqualTo(Kstatus.compute(obj).status().name());
    }
    assertThat(Kstatus.compute(HealthFixtures.load(HealthFixtures.DELETING)).status())
        .isEqualTo(Kstatus.Status.Terminating);
  }

  @Test
  void everyReasonAgreesWithKstatus() {
    for (ReadyReason reason : KstatusRulesTest.allReasons()) {
      CampaignMonitorInstance cr = HealthFixtures.fresh();
      cr.setStatus(new CampaignMonitorInstanceStatus());
      cr.getStatus().setObservedGeneration(1L);
      cr.getStatus()
          .setConditions(
              StatusConditions.next(
                  List.of(), new Outcome(reason, "m"), 1, Instant.parse("2026-01-05T09:00:00Z")));
      Map<String, Object> obj = KstatusRulesTest.asMap(cr);
      assertThat(evaluate(exprs, obj).name())
          .as(reason.value())
          .isEqualTo(Kstatus.compute(obj).status().name());
    }
  }

  // ------------------------------------------------------------------ Flux's StatusEvaluator

  static FluxStatus evaluate(Exprs exprs, Map<String, Object> obj) {
    Object observed = nested(obj, "status", "observedGeneration");
    Object generation = nested(obj, "metadata", "generation");
    if (observed instanceof Long o && generation instanceof Long g && !o.equals(g)) {
      return FluxStatus.InProgress;
    }
    try {
      if (isTrue(exprs.inProgress(), obj)) {
        return FluxStatus.InProgress;
      }
      if (isTrue(exprs.failed(), obj)) {
        return FluxStatus.Failed;
      }
      if (isTrue(exprs.current(), obj)) {
        return FluxStatus.Current;
      }
      return FluxStatus.InProgress;
    } catch (CelEvaluationException | NotABoolean e) {
      return FluxStatus.Unknown;
    }
  }

  private static final class NotABoolean extends Exception {
    NotABoolean(String expr, Object value) {
      super("failed to evaluate CEL expression as boolean: '" + expr + "' gave " + value);
    }
  }

  private static boolean isTrue(String expr, Map<String, Object> obj)
      throws CelEvaluationException, NotABoolean {
    if (expr == null || expr.isEmpty()) {
      return false;
    }
    Object value;
    try {
      value = RUNTIME.createProgram(COMPILER.compile(expr).getAst()).eval(obj);
    } catch (CelValidationException e) {
      throw new AssertionError(
          "Flux would refuse the expression '" + expr + "': " + e.getMessage(), e);
    }
    if (!(value instanceof Boolean b)) {
      throw new NotABoolean(expr, value);
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static Object nested(Map<String, Object> obj, String... path) {
    Object current = obj;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = ((Map<String, Object>) map).get(key);
    }
    return current;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : "";
  }
}
