package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Ready, Reconciling and Stalled conditions from an {@link Outcome}. A condition keeps
 * its {@code lastTransitionTime} while its status stays the same.
 */
public final class StatusConditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private StatusConditions() {}

  public static List<Condition> next(
      List<Condition> previous, Outcome outcome, long generation, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return List.of(
        condition(previous, READY, outcome.ready(), outcome, generation, time),
        condition(previous, RECONCILING, outcome.reconciling(), outcome, generation, time),
        condition(previous, STALLED, outcome.stalled(), outcome, generation, time));
  }

  /**
   * The outcome that the Ready condition of a status describes, if any and if its reason is one of
   * ours.
   */
  public static Optional<Outcome> current(List<Condition> conditions) {
    return find(conditions, READY)
        .flatMap(
            c ->
                ReadyReason.parse(c.getReason())
                    .map(reason -> new Outcome(reason, c.getMessage())));
  }

  private static Condition condition(
      List<Condition> previous,
      String type,
      boolean value,
      Outcome outcome,
      long generation,
      String now) {
    String status = value ? Condition.TRUE : Condition.FALSE;
    String since =
        find(previous, type)
            .filter(c -> status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    return new Condition(
        type, status, generation, since, outcome.reason().value(), outcome.message());
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
