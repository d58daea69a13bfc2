package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void growsExponentiallyWithJitterUpToTheCap() {
    assertThat(backoff.next("a", null)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    assertThat(backoff.next("a", null)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
    assertThat(backoff.next("a", null)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
    for (int i = 0; i < 10; i++) {
      backoff.next("a", null);
    }
    assertThat(backoff.next("a", null)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
  }

  @Test
  void resetStartsOverAndResourcesAreIndependent() {
    backoff.next("a", null);
    backoff.next("a", null);
    backoff.reset("a");

    assertThat(backoff.next("a", null)).isLessThanOrEqualTo(Duration.ofMillis(1200));
    assertThat(backoff.next("b", null)).isLessThanOrEqualTo(Duration.ofMillis(1200));
  }
}
