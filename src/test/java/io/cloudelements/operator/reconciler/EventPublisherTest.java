package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events in the background: the caller does not wait for the API server, and closing sends what is
 * queued.
 */
class EventPublisherTest {

  @Test
  void backgroundEventsDoNotWaitForTheApiServerAndAreAllSentOnClose() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient operatorClient = kubernetes.newClient();
      kubernetes.dispatcher().setLatency(Duration.ofMillis(200), Duration.ZERO);
      CampaignMonitorInstance cr = ReconcilerDriver.oauthResource();
      EventPublisher events = EventPublisher.inBackground(operatorClient, 2);

      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        events.normal(cr, EventReason.CREATED, "Created instance " + i);
      }
      long queuedMs = (System.nanoTime() - start) / 1_000_000;
      int recordedBeforeClose = eventsOf(kubernetes).size();
      events.close();

      List<Event> recorded = eventsOf(kubernetes);
      assertThat(recordedBeforeClose)
          .as("10 Events at 200 ms each from 2 threads take 1 s; queued in " + queuedMs + " ms")
          .isLessThan(10);
      assertThat(recorded).hasSize(10);
      assertThat(recorded)
          .allSatisfy(
              e -> {
                assertThat(e.getReason()).isEqualTo("Created");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("story");
              });
      operatorClient.close();
    }
  }

  private static List<Event> eventsOf(EmbeddedKubernetes kubernetes) {
    return kubernetes.client().v1().events().inNamespace("ns").list().getItems();
  }
}
