package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void growsExponentiallyWithJitterUpToTheCap() {
    assertThat(backoff.delay(1, null)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    assertThat(backoff.delay(2, null)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
    assertThat(backoff.delay(3, null)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
    assertThat(backoff.delay(14, null)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
    assertThat(backoff.delay(1000, null)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
  }

  @Test
  void nextReconcileCountsFailuresPerResourceAndASuccessStartsOver() {
    NextReconcile next =
        new NextReconcile(backoff, java.time.Clock.systemUTC(), Duration.ofMinutes(10));
    ResourceMemory a = new ResourceMemory();
    ResourceMemory b = new ResourceMemory();
    next.after(new Next.RetryAfter(null), a);
    assertThat(next.after(new Next.RetryAfter(null), a).orElseThrow())
        .isGreaterThanOrEqualTo(Duration.ofMillis(1600));
    assertThat(next.after(new Next.RetryAfter(null), b).orElseThrow())
        .isLessThanOrEqualTo(Duration.ofMillis(1200));

    assertThat(next.after(new Next.Resync(), a)).isEqualTo(Optional.of(Duration.ofMinutes(10)));
    assertThat(a.verifiedAt()).isNotNull();
    assertThat(next.after(new Next.RetryAfter(null), a).orElseThrow())
        .isLessThanOrEqualTo(Duration.ofMillis(1200));

    assertThat(next.after(new Next.WaitForEvent(), a)).isEmpty();
    assertThat(a.verifiedAt()).isNull();
  }
}
