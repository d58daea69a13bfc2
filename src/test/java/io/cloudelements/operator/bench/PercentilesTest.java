package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfAHundredValues() {
    List<Duration> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add(Duration.ofMillis(i));
    }
    Collections.shuffle(values);

    Percentiles p = Percentiles.of(values);

    assertThat(p.count()).isEqualTo(100);
    assertThat(p.percentile(50)).isEqualTo(Duration.ofMillis(50));
    assertThat(p.percentile(90)).isEqualTo(Duration.ofMillis(90));
    assertThat(p.percentile(99)).isEqualTo(Duration.ofMillis(99));
    assertThat(p.max()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.min()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    Percentiles p = Percentiles.of(List.of(Duration.ofMillis(7)));

    assertThat(p.percentile(1)).isEqualTo(Duration.ofMillis(7));
    assertThat(p.percentile(100)).isEqualTo(Duration.ofMillis(7));
  }

  @Test
  void noValuesGiveZero() {
    Percentiles p = Percentiles.of(List.of());

    assertThat(p.percentile(50)).isZero();
    assertThat(p.max()).isZero();
  }

  @Test
  void aPercentileOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> Percentiles.of(List.of()).percentile(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
