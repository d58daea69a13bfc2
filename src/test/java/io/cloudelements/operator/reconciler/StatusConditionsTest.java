package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {

  private static final Instant T1 = Instant.parse("2026-01-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2026-01-01T10:05:00Z");

  @Test
  void readyOutcomeSetsReadyTrueAndTheOthersFalse() {
    List<Condition> conditions =
        StatusConditions.next(List.of(), Outcome.available(12, "s"), 3, T1);

    assertThat(conditions)
        .extracting(
            Condition::getType,
            Condition::getStatus,
            Condition::getReason,
            Condition::getObservedGeneration,
            Condition::getLastTransitionTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Ready", "True", "Available", 3L, "2026-01-01T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple(
                "Reconciling", "False", "Available", 3L, "2026-01-01T10:00:00Z"),
            org.assertj.core.groups.Tuple.tuple(
                "Stalled", "False", "Available", 3L, "2026-01-01T10:00:00Z"));
  }

  @Test
  void retryableFailureIsReconcilingAndTerminalFailureIsStalled() {
    List<Condition> retrying =
        StatusConditions.next(
            List.of(), new Outcome(ReadyReason.UPSTREAM_UNAVAILABLE, "503"), 1, T1);
    List<Condition> terminal =
        StatusConditions.next(
            List.of(), new Outcome(ReadyReason.CREDENTIALS_REJECTED, "401"), 1, T1);

    assertThat(retrying).extracting(Condition::getStatus).containsExactly("False", "True", "False");
    assertThat(terminal).extracting(Condition::getStatus).containsExactly("False", "False", "True");
  }

  @Test
  void lastTransitionTimeIsKeptWhenTheStatusDoesNotChange() {
    List<Condition> first =
        StatusConditions.next(List.of(), new Outcome(ReadyReason.UPSTREAM_UNAVAILABLE, "a"), 1, T1);

    List<Condition> second =
        StatusConditions.next(first, new Outcome(ReadyReason.RATE_LIMITED, "b"), 2, T2);

    assertThat(second)
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z"));
    assertThat(second)
        .extracting(Condition::getReason)
        .containsOnly(ReadyReason.RATE_LIMITED.value());
    assertThat(second).extracting(Condition::getObservedGeneration).containsOnly(2L);
  }

  @Test
  void lastTransitionTimeMovesOnlyForConditionsThatFlipped() {
    List<Condition> first =
        StatusConditions.next(List.of(), new Outcome(ReadyReason.UPSTREAM_UNAVAILABLE, "a"), 1, T1);

    List<Condition> second = StatusConditions.next(first, Outcome.available(1, "s"), 1, T2);

    assertThat(second)
        .extracting(Condition::getType, Condition::getLastTransitionTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "2026-01-01T10:05:00Z"),
            org.assertj.core.groups.Tuple.tuple("Reconciling", "2026-01-01T10:05:00Z"),
            org.assertj.core.groups.Tuple.tuple("Stalled", "2026-01-01T10:00:00Z"));
  }

  @Test
  void sameOutcomeTwiceGivesEqualConditions() {
    List<Condition> first = StatusConditions.next(List.of(), Outcome.available(1, "s"), 1, T1);

    assertThat(StatusConditions.next(first, Outcome.available(1, "s"), 1, T2)).isEqualTo(first);
  }
}
