package io.cloudelements.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cases of Kubernetes' own HumanDuration test. */
class HumanDurationTest {

  @ParameterizedTest
  @CsvSource({
    "1, 1s",
    "70, 70s",
    "190, 3m10s",
    "180, 3m",
    "4200, 70m",
    "169200, 47h",
    "176400, 2d1h",
    "698400, 8d",
    "31708800, 367d",
    "63162000, 2y1d",
    "252295200, 8y",
    "-1, 0s",
    "-2, <invalid>"
  })
  void agesAsKubectlShowsThem(long seconds, String shown) {
    assertThat(HumanDuration.of(Duration.ofSeconds(seconds))).isEqualTo(shown);
  }

  @Test
  void aTimestampsAgeOrWhyThereIsNone() {
    Instant now = Instant.parse("2026-01-01T00:10:00Z");
    assertThat(HumanDuration.since("2026-01-01T00:00:00Z", now)).isEqualTo("10m");
    assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since("yesterday", now)).isEqualTo("<invalid>");
  }
}
