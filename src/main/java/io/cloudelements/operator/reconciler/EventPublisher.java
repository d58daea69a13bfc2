package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a resource. Messages come from {@link Outcome}s and never hold a secret value. */
public class EventPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
  public static final String COMPONENT = "campaign-monitor-operator";

  private final KubernetesClient client;

  public EventPublisher(KubernetesClient client) {
    this.client = client;
  }

  /** A Normal Event for something the operator did. */
  public void normal(CampaignMonitorInstance cr, EventReason reason, String message) {
    publish(cr, "Normal", reason.value(), message);
  }

  /** A Warning Event about a request the operator did not follow. */
  public void warning(CampaignMonitorInstance cr, EventReason reason, String message) {
    publish(cr, "Warning", reason.value(), message);
  }

  /** An Event for a new Ready outcome: Normal when paused, else Warning. */
  public void announce(CampaignMonitorInstance cr, Outcome outcome) {
    publish(cr, outcome.paused() ? "Normal" : "Warning", outcome.reason().value(), outcome.message());
  }

  /** Records one Event; overridden by tests that collect Events instead. */
  protected void publish(CampaignMonitorInstance cr, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      client.v1().events().inNamespace(cr.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(cr.getMetadata().getName() + ".").endMetadata()
          .withNewInvolvedObject()
          .withApiVersion(cr.getApiVersion()).withKind(cr.getKind()).withName(cr.getMetadata().getName())
          .withNamespace(cr.getMetadata().getNamespace()).withUid(cr.getMetadata().getUid())
          .endInvolvedObject()
          .withType(type).withReason(reason).withMessage(message)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record Event {}: HTTP {}", reason, e.getCode());
    }
  }
}
