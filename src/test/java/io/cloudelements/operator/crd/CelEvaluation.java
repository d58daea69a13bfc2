package io.cloudelements.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the {@link CelRules} over an object, each against the value at its location converted to
 * Java Map/List/String/Long/Double/Boolean (so {@code has(self.x)} tests key presence, as on the
 * API server). Errors read {@code <path>: Invalid value: "object": <message>}. Transition rules
 * (using {@code oldSelf}) run only on an update and only where an old value exists at the same
 * location, reached through object properties and additionalProperties (never through lists),
 * unless the rule sets {@code optionalOldSelf}.
 */
final class CelEvaluation {

  private final CelRules rules;
  private final List<String> errors = new ArrayList<>();

  private CelEvaluation(CelRules rules) {
    this.rules = rules;
  }

  /** "path: message" errors of every failing rule; {@code old} is null on a create. */
  static List<String> run(CelRules rules, JsonNode schema, JsonNode object, JsonNode old) {
    CelEvaluation evaluation = new CelEvaluation(rules);
    evaluation.walk(schema, object, old, "");
    return evaluation.errors;
  }

  private void walk(JsonNode schema, JsonNode node, JsonNode old, String path) {
    if (schema == null || node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    for (CelRules.Compiled r : rules.at(schema)) {
      evaluate(r, schema, node, old, path);
    }
    if (node.isObject()) {
      node.properties()
          .forEach(
              f ->
                  walk(
                      CrdPruning.childSchema(schema, f.getKey()),
                      f.getValue(),
                      old != null && old.isObject() ? old.get(f.getKey()) : null,
                      CrdPruning.join(path, f.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(schema.get("items"), node.get(i), null, path + "[" + i + "]");
      }
    }
  }

  private void evaluate(
      CelRules.Compiled r, JsonNode schema, JsonNode node, JsonNode old, String path) {
    CelRules.Rule rule = r.rule();
    String shown = path.isEmpty() ? CrdSchema.ROOT : path;
    if (rule.compileError() != null) {
      errors.add(
          shown
              + ": rule does not compile (the API server would reject the CRD): "
              + rule.rule()
              + ": "
              + rule.compileError());
      return;
    }
    if (rule.transition() && !rule.optionalOldSelf() && old == null) {
      return; // a create, or no old value here: transition rules do not apply
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", toCel(schema, node));
    if (rule.transition()) {
      Object oldValue = old == null ? null : toCel(schema, old);
      vars.put("oldSelf", rule.optionalOldSelf() ? Optional.ofNullable(oldValue) : oldValue);
    }
    String invalid = shown + ": Invalid value: \"" + celTypeName(schema) + "\": ";
    try {
      Object result = r.program().eval(vars);
      if (!(result instanceof Boolean)) {
        errors.add(
            shown + ": rule did not evaluate to a bool but to " + result + ": " + rule.rule());
      } else if (!(Boolean) result) {
        errors.add(
            invalid + (rule.message() != null ? rule.message() : "failed rule: " + rule.rule()));
      }
    } catch (CelEvaluationException e) {
      errors.add(invalid + "rule evaluation error: " + rule.rule() + ": " + e.getMessage());
    }
  }

  private static String celTypeName(JsonNode schema) {
    String type = schema.path("type").asText("");
    return type.isEmpty() ? "object" : type;
  }

  /** JSON to the values the CEL runtime works with; schema-aware for number vs integer. */
  static Object toCel(JsonNode schema, JsonNode node) {
    JsonNode s = schema == null ? MissingNode.getInstance() : schema;
    if (node == null || node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties()
          .forEach(
              f -> map.put(f.getKey(), toCel(CrdPruning.childSchema(s, f.getKey()), f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(s.get("items"), item)));
      return list;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      if ("number".equals(s.path("type").asText()) || !node.isIntegralNumber()) {
        return node.doubleValue();
      }
      if (!node.canConvertToLong()) {
        throw new IllegalArgumentException("integer out of int64 range: " + node);
      }
      return node.longValue();
    }
    return node.asText();
  }
}
