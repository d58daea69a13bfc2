package io.cloudelements.operator.cli;

import io.cloudelements.operator.embedded.EmbeddedStack;
import io.cloudelements.operator.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The demo's bounded waits: each step fails rather than hangs when something never happens. */
final class DemoWaits {

  static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

  private DemoWaits() {}

  static void waitFor(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(STEP_TIMEOUT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new DemoCommand.StepFailed(
            "timed out after " + STEP_TIMEOUT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DemoCommand.StepFailed("interrupted while waiting for " + what);
      }
    }
  }

  /** Waits for a request the simulator received after the first {@code from} ones. */
  static RecordedRequest waitForRequest(EmbeddedStack stack, int from, String method, String path) {
    RecordedRequest[] found = new RecordedRequest[1];
    waitFor(
        method + " " + path + " to reach Cloud Elements",
        () -> {
          List<RecordedRequest> requests = stack.simulator().requests();
          for (RecordedRequest r :
              requests.subList(Math.min(from, requests.size()), requests.size())) {
            // Status 0: the simulator is still answering it.
            if (r.method().equals(method) && r.path().equals(path) && r.status() != 0) {
              found[0] = r;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }
}
