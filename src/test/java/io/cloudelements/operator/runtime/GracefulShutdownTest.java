package io.cloudelements.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.cloudelements.MeteredCloudElementsClient;
import io.cloudelements.operator.simulator.Fault;
import io.cloudelements.operator.testing.OperatorStack;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stop while a Cloud Elements call is running: the reconcile finishes within the timeout, or is
 * abandoned safely.
 */
class GracefulShutdownTest {

  private OperatorStack stack;
  private OperatorRuntime runtime;

  @BeforeEach
  void start() {
    stack = OperatorStack.builder().withoutOperator().resync(Duration.ofMinutes(1)).start();
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    stack.close();
  }

  private OperatorRuntime startRuntime(String identity, Duration terminationTimeout) {
    OperatorRuntime started =
        stack.newRuntime(identity, c -> c.withTerminationTimeout(terminationTimeout), f -> f);
    started.start();
    return started;
  }

  /**
   * Waits until the create call of the first reconcile is on the wire (a first create needs no
   * lookup).
   */
  private void awaitCreateInFlight(OperatorRuntime running) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Gauge inFlight =
                  running.registry().find(MeteredCloudElementsClient.IN_FLIGHT).gauge();
              return inFlight != null && inFlight.value() == 1;
            });
  }

  @Test
  void aRunningReconcileFinishesBeforeTheStopReturns() {
    runtime = startRuntime("graceful", Duration.ofSeconds(10));
    // Within the 2 s request timeout of the test settings.
    stack.simulator().inject(Fault.delay(Duration.ofMillis(1500)).on("POST", "/instances"));
    stack.applyBasic("slow");
    awaitCreateInFlight(runtime);

    long start = System.nanoTime();
    runtime.close();
    Duration stopping = Duration.ofNanos(System.nanoTime() - start);

    assertThat(stopping).isGreaterThan(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
    assertThat(stack.reason("slow")).isEqualTo("Available");
    assertThat(stack.simulator().instances()).hasSize(1);
  }

  @Test
  void aReconcileStillRunningAtTheTimeoutIsAbandonedAndTheNextOperatorAdoptsItsInstance() {
    runtime = startRuntime("impatient", Duration.ofMillis(300));
    stack.simulator().inject(Fault.delay(Duration.ofMillis(1800)).on("POST", "/instances"));
    stack.applyBasic("abandoned");
    awaitCreateInFlight(runtime);

    long start = System.nanoTime();
    runtime.close();
    Duration stopping = Duration.ofNanos(System.nanoTime() - start);
    assertThat(stopping).isLessThan(Duration.ofSeconds(2));
    assertThat(stack.reason("abandoned")).isNotEqualTo("Available");
    // Cloud Elements still creates the instance whose answer nobody waits for any more.
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.simulator().instances().size() == 1);

    runtime = startRuntime("successor", Duration.ofSeconds(5));
    stack.awaitReason("abandoned", "Available");

    assertThat(stack.simulator().count("POST", "/instances")).isEqualTo(1);
    assertThat(stack.simulator().instances()).hasSize(1);
    assertThat(stack.client().v1().events().inNamespace(stack.namespace()).list().getItems())
        .anyMatch(e -> "Adopted".equals(e.getReason()));
  }
}
