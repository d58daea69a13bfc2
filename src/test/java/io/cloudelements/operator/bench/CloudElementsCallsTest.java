package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.simulator.RecordedRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudElementsCallsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void instanceGetsCountsOnlyGetsOfOneInstanceWithinTheTimes() {
    List<RecordedRequest> requests =
        List.of(
            new RecordedRequest("GET", "/instances/1", null, 200, T0),
            new RecordedRequest("GET", "/instances/1", null, 200, T0.plusSeconds(1)),
            new RecordedRequest("GET", "/instances/2", null, 200, T0.plusSeconds(2)),
            new RecordedRequest("PATCH", "/instances/2", null, 200, T0.plusSeconds(2)),
            new RecordedRequest("GET", "/instances", "tags[]=x", 200, T0.plusSeconds(2)),
            new RecordedRequest("GET", "/instances/3", null, 200, T0.plusSeconds(4)));

    assertThat(CloudElementsCalls.instanceGets(requests, T0, T0.plusSeconds(3))).isEqualTo(2);
  }
}
