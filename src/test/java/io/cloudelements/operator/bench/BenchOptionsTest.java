package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void theLowerBoundIsOnePostPerInstanceOverTheConcurrency() {
    BenchOptions options = BenchOptions.defaults();

    assertThat(options.lowerBound()).isEqualTo(Duration.ofSeconds(10)); // 1000 x 100 ms / 10
    assertThat(options.withLatency(Duration.ZERO).lowerBound()).isZero();
  }

  @Test
  void theDefaultResyncIntervalLeavesTheCreationAloneAndIsAtLeastThreeSeconds() {
    // 1.25 x 10 s + 5 s = 17.5 s, less than the API server's 25 ms per resource
    assertThat(BenchOptions.defaults().defaultResyncInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(BenchOptions.defaults().withInstances(20).defaultResyncInterval())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(BenchOptions.defaults().withLatency(Duration.ZERO).defaultResyncInterval())
        .isEqualTo(Duration.ofSeconds(25)); // the API server's 25 ms per resource
    assertThat(
            BenchOptions.defaults()
                .withResyncInterval(Duration.ofSeconds(7))
                .effectiveResyncInterval())
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void twiceAsManyReconcilesAsCloudElementsCallsUnlessGiven() {
    BenchOptions options = BenchOptions.defaults();

    assertThat(options.effectiveReconcileThreads()).isEqualTo(20);
    assertThat(
            new BenchOptions(10, Duration.ZERO, 4, 0, 1, 1, null, 0, 5, 0, false)
                .effectiveReconcileThreads())
        .isEqualTo(5);
  }

  @Test
  void wrongValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> new BenchOptions(0, Duration.ZERO, 1, 0, 1, 1, null, 0, 0, 0, false))
        .hasMessageContaining("--instances");
    assertThatThrownBy(() -> new BenchOptions(1, Duration.ZERO, 0, 0, 1, 1, null, 0, 0, 0, false))
        .hasMessageContaining("--concurrency");
    assertThatThrownBy(() -> new BenchOptions(1, Duration.ZERO, 1, 1.5, 1, 1, null, 0, 0, 0, false))
        .hasMessageContaining("--fault-rate");
    assertThatThrownBy(() -> new BenchOptions(1, Duration.ZERO, 1, 0, 1, -1, null, 0, 0, 0, false))
        .hasMessageContaining("--resyncs");
    assertThatThrownBy(
            () -> new BenchOptions(1, Duration.ZERO, 1, 0, 1, 1, Duration.ZERO, 0, 0, 0, false))
        .hasMessageContaining("--resync-interval");
    assertThatThrownBy(
            () -> new BenchOptions(1, Duration.ofMillis(-1), 1, 0, 1, 1, null, 0, 0, 0, false))
        .hasMessageContaining("--latency");
  }
}
