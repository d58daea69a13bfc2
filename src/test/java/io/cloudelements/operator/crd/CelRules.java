package io.cloudelements.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} rules of a schema, compiled with dev.cel: {@code self} and
 * {@code oldSelf} declared as {@code dyn} (an optional with {@code optionalOldSelf}), standard
 * macros, the strings, sets and optional extensions. A rule that does not compile, does not give a
 * bool, or uses a rule field this CRD does not use ({@code messageExpression}, {@code fieldPath},
 * {@code reason}) carries a compile error, which the tests report.
 */
final class CelRules {

  private static final List<String> UNMODELLED_FIELDS =
      List.of("messageExpression", "fieldPath", "reason");

  /**
   * One {@code x-kubernetes-validations} entry.
   *
   * @param location schema location, e.g. {@code spec.events} or {@code spec.tags[*]}
   * @param transition whether the rule references {@code oldSelf}
   * @param compileError null when the rule compiled to a bool
   */
  public record Rule(
      String location,
      String rule,
      String message,
      boolean optionalOldSelf,
      boolean transition,
      String compileError) {}

  /** A rule and its program; the program is null when the rule has a compile error. */
  record Compiled(Rule rule, CelRuntime.Program program) {}

  private final CelRuntime runtime;
  private final CelCompiler compiler;
  private final CelCompiler compilerOptionalOldSelf;
  private final Map<JsonNode, List<Compiled>> bySchemaNode = new IdentityHashMap<>();
  private final List<Rule> rules = new ArrayList<>();

  CelRules(JsonNode openApiV3Schema) {
    CelOptions options = CelOptions.current().enableOptionalSyntax(true).build();
    this.compiler = newCompiler(options, SimpleType.DYN);
    this.compilerOptionalOldSelf = newCompiler(options, OptionalType.create(SimpleType.DYN));
    this.runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(options)
            .addLibraries(
                CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
            .build();
    collect(openApiV3Schema, "");
  }

  /** All rules of the schema, in schema order. */
  List<Rule> all() {
    return Collections.unmodifiableList(rules);
  }

  /** The rules declared on this very schema node. */
  List<Compiled> at(JsonNode schemaNode) {
    return bySchemaNode.getOrDefault(schemaNode, List.of());
  }

  private static CelCompiler newCompiler(CelOptions options, CelType oldSelfType) {
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addLibraries(
            CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", oldSelfType)
        .build();
  }

  private void collect(JsonNode schema, String location) {
    List<Compiled> compiled = new ArrayList<>();
    for (JsonNode v : schema.path("x-kubernetes-validations")) {
      compiled.add(compile(v, location.isEmpty() ? CrdSchema.ROOT : location));
    }
    if (!compiled.isEmpty()) {
      bySchemaNode.put(schema, compiled);
    }
    schema
        .path("properties")
        .properties()
        .forEach(p -> collect(p.getValue(), CrdPruning.join(location, p.getKey())));
    if (schema.path("items").isObject()) {
      collect(schema.get("items"), location + "[*]");
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), location + "[*]");
    }
  }

  private Compiled compile(JsonNode v, String location) {
    String text = v.path("rule").asText();
    boolean optionalOldSelf = v.path("optionalOldSelf").asBoolean(false);
    String error =
        UNMODELLED_FIELDS.stream()
            .filter(v::has)
            .findFirst()
            .map(f -> f + " is not modelled by CrdValidator: this CRD did not use it")
            .orElse(null);
    boolean transition = false;
    CelRuntime.Program program = null;
    try {
      CelAbstractSyntaxTree ast =
          (optionalOldSelf ? compilerOptionalOldSelf : compiler).compile(text).getAst();
      transition = referencesOldSelf(ast);
      if (!SimpleType.BOOL.equals(ast.getResultType())
          && !SimpleType.DYN.equals(ast.getResultType())) {
        error = "rule must evaluate to bool, not " + ast.getResultType();
      } else if (error == null) {
        program = runtime.createProgram(ast);
      }
    } catch (CelValidationException e) {
      error = e.getMessage();
    } catch (CelEvaluationException e) {
      error = "cannot plan: " + e.getMessage();
    }
    if (optionalOldSelf && !transition && error == null) {
      error = "optionalOldSelf is only allowed on transition rules (rules that reference oldSelf)";
    }
    Rule rule =
        new Rule(
            location,
            text,
            v.hasNonNull("message") ? v.get("message").asText() : null,
            optionalOldSelf,
            transition,
            error);
    rules.add(rule);
    return new Compiled(rule, error == null ? program : null);
  }

  private static boolean referencesOldSelf(CelAbstractSyntaxTree ast) {
    return CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .anyMatch(
            n ->
                n.getKind() == CelExpr.ExprKind.Kind.IDENT
                    && "oldSelf".equals(n.expr().ident().name()));
  }
}
