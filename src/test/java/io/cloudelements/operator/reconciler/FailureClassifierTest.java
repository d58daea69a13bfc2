package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.cloudelements.CloudElementsException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "401, CredentialsRejected, true",
    "403, CredentialsRejected, true",
    "400, RequestRejected, true",
    "422, RequestRejected, true",
    "404, UpstreamUnavailable, false",
    "408, UpstreamUnavailable, false",
    "409, UpstreamUnavailable, false",
    "429, RateLimited, false",
    "500, UpstreamUnavailable, false",
    "503, UpstreamUnavailable, false",
    "0, UpstreamUnavailable, false"
  })
  void classifiesByStatus(int status, String reason, boolean terminal) {
    CloudElementsException e =
        new CloudElementsException("POST /instances", status, "msg", "req-1", null);

    Outcome outcome = FailureClassifier.outcome(e);

    assertThat(outcome.reason().value()).isEqualTo(reason);
    assertThat(outcome.stalled()).isEqualTo(terminal);
    assertThat(outcome.reconciling()).isEqualTo(!terminal);
  }

  @ParameterizedTest
  @CsvSource({"400", "401"})
  void rejectedMessagesCarryTheApiMessageAndRequestId(int status) {
    Outcome outcome =
        FailureClassifier.outcome(
            new CloudElementsException("POST /instances", status, "Invalid code", "req-42", null));

    assertThat(outcome.message())
        .contains("POST /instances answered " + status, "Invalid code", "req-42");
  }

  @ParameterizedTest
  @CsvSource({"1000, 1000", "60000, 60000"})
  void backoffHonoursRetryAfter(long retryAfterMs, long atLeastMs) {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    assertThat(backoff.delay(1, Duration.ofMillis(retryAfterMs)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(atLeastMs));
  }
}
