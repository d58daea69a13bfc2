package io.cloudelements.operator.health;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, faithful Java encoding of kstatus ({@code sigs.k8s.io/cli-utils/pkg/kstatus/status},
 * used by Flux's {@code wait: true}, {@code kubectl}-style waiters and kpt) for a custom resource,
 * i.e. a kind that has no built-in "legacy" rules. It follows {@code status.Compute}:
 *
 * <ol>
 *   <li>{@code checkGenericProperties}: a non-empty {@code metadata.deletionTimestamp} is
 *       <b>Terminating</b> ("Resource scheduled for deletion");
 *   <li>{@code checkGeneration}: when {@code metadata.generation} and {@code
 *       status.observedGeneration} are both present and differ, <b>InProgress</b> ("&lt;Kind&gt;
 *       generation is N, but latest observed generation is M"); a missing observedGeneration skips
 *       the check;
 *   <li>the standard conditions, in list order: the first {@code Reconciling=True} is
 *       <b>InProgress</b>, the first {@code Stalled=True} is <b>Failed</b>, each with that
 *       condition's message;
 *   <li>no legacy rules apply to {@code cloudelements.io} kinds;
 *   <li>{@code checkReadyCondition}: the first {@code Ready} condition: True is <b>Current</b>
 *       ("Resource is Ready"), False or Unknown is <b>InProgress</b> with its message, any other
 *       value is ignored;
 *   <li>otherwise <b>Current</b> ("Resource is current"), which includes an object with no status
 *       at all.
 * </ol>
 *
 * Type errors (a non-integer generation, a non-string deletionTimestamp) are errors in kstatus;
 * here they throw.
 */
final class Kstatus {

  enum Status {
    InProgress,
    Failed,
    Current,
    Terminating
  }

  record Result(Status status, String message) {}

  private Kstatus() {}

  static Result compute(Map<String, Object> obj) {
    Result generic = checkGenericProperties(obj);
    if (generic != null) {
      return generic;
    }
    Result ready = checkReadyCondition(obj);
    if (ready != null) {
      return ready;
    }
    return new Result(Status.Current, "Resource is current");
  }

  private static Result checkGenericProperties(Map<String, Object> obj) {
    Object deletionTimestamp = nested(obj, "metadata", "deletionTimestamp");
    if (deletionTimestamp != null) {
      if (!(deletionTimestamp instanceof String s)) {
        throw new IllegalArgumentException(
            "looking up metadata.deletionTimestamp from resource: not a string");
      }
      if (!s.isEmpty()) {
        return new Result(Status.Terminating, "Resource scheduled for deletion");
      }
    }
    Result generation = checkGeneration(obj);
    if (generation != null) {
      return generation;
    }
    for (Map<String, Object> c : conditions(obj)) {
      if ("Reconciling".equals(c.get("type")) && "True".equals(c.get("status"))) {
        return new Result(Status.InProgress, message(c));
      }
      if ("Stalled".equals(c.get("type")) && "True".equals(c.get("status"))) {
        return new Result(Status.Failed, message(c));
      }
    }
    return null;
  }

  private static Result checkGeneration(Map<String, Object> obj) {
    Long generation = int64(nested(obj, "metadata", "generation"), "metadata.generation");
    if (generation == null) {
      return null;
    }
    Long observed = int64(nested(obj, "status", "observedGeneration"), "status.observedGeneration");
    if (observed != null && !observed.equals(generation)) {
      return new Result(
          Status.InProgress,
          obj.get("kind")
              + " generation is "
              + generation
              + ", but latest observed generation is "
              + observed);
    }
    return null;
  }

  private static Result checkReadyCondition(Map<String, Object> obj) {
    for (Map<String, Object> c : conditions(obj)) {
      if (!"Ready".equals(c.get("type"))) {
        continue;
      }
      Object status = c.get("status");
      if ("True".equals(status)) {
        return new Result(Status.Current, "Resource is Ready");
      }
      if ("False".equals(status) || "Unknown".equals(status)) {
        return new Result(Status.InProgress, message(c));
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(Map<String, Object> obj) {
    Object conditions = nested(obj, "status", "conditions");
    return conditions instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  private static String message(Map<String, Object> condition) {
    return Objects.toString(condition.get("message"), "");
  }

  private static Long int64(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(
        "looking up " + field + " from resource: " + value + " is not an int64");
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
}
