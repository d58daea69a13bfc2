package io.cloudelements.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JOSDK's execution timer, without the exception wrapping of MicrometerMetricsV2. */
class ReconcileMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReconcileMetrics metrics = ReconcileMetrics.into(registry);

  @Test
  void aFailingReconcileKeepsItsOwnExceptionAndIsTimed() {
    KubernetesClientException failure =
        new KubernetesClientException("Failure executing: PATCH", 500, null);

    assertThatThrownBy(
            () ->
                metrics.timeControllerExecution(
                    new Execution(
                        () -> {
                          throw failure;
                        })))
        .isSameAs(failure);
    assertThat(timerCount()).isEqualTo(1);
  }

  @Test
  void aSuccessfulReconcileReturnsItsResultAndIsTimed() throws Exception {
    assertThat(metrics.timeControllerExecution(new Execution(() -> "done"))).isEqualTo("done");
    assertThat(timerCount()).isEqualTo(1);
  }

  private long timerCount() {
    return registry
        .get(MicrometerMetricsV2.RECONCILIATION_EXECUTION_DURATION)
        .tag("controller.name", "campaignmonitorinstance")
        .timer()
        .count();
  }

  private interface Body {
    String run() throws Exception;
  }

  private record Execution(Body body) implements Metrics.ControllerExecution<String> {

    @Override
    public String name() {
      return "reconcile";
    }

    @Override
    public String controllerName() {
      return "campaignmonitorinstance";
    }

    @Override
    public String successTypeName(String result) {
      return "ok";
    }

    @Override
    public ResourceID resourceID() {
      return new ResourceID("newsletter", "team-a");
    }

    @Override
    public Map<String, Object> metadata() {
      return Map.of();
    }

    @Override
    public String execute() throws Exception {
      return body.run();
    }
  }
}
