package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a resource. Messages come from {@link Outcome}s and never hold a
 * secret value.
 *
 * <p>{@link #inBackground} sends them from a few threads of their own, so that a reconcile does not
 * wait for the API server's answer to an Event; {@link #close()} sends what is still queued.
 */
public class EventPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
  public static final String COMPONENT = "campaign-monitor-operator";

  private final KubernetesClient client;

  /** Null: each Event is sent on the calling thread. */
  private final ExecutorService sender;

  public EventPublisher(KubernetesClient client) {
    this(client, null);
  }

  private EventPublisher(KubernetesClient client, ExecutorService sender) {
    this.client = client;
    this.sender = sender;
  }

  /**
   * Events sent from up to {@code threads} threads of their own, started when needed and ended
   * after 30 s idle. Events of one resource may then be recorded out of order; each carries its own
   * timestamp.
   */
  public static EventPublisher inBackground(KubernetesClient client, int threads) {
    AtomicInteger number = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "event-publisher-" + number.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return new EventPublisher(client, pool);
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
    publish(
        cr, outcome.paused() ? "Normal" : "Warning", outcome.reason().value(), outcome.message());
  }

  /** Records one Event; overridden by tests that collect Events instead. */
  protected void publish(CampaignMonitorInstance cr, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(cr.getMetadata().getName() + ".")
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(cr.getApiVersion())
            .withKind(cr.getKind())
            .withName(cr.getMetadata().getName())
            .withNamespace(cr.getMetadata().getNamespace())
            .withUid(cr.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    if (sender == null) {
      send(event);
      return;
    }
    try {
      sender.execute(() -> send(event));
    } catch (RejectedExecutionException closed) {
      send(event); // a reconcile that outlived the stop: its Event is still recorded
    }
  }

  private void send(Event event) {
    try {
      client
          .v1()
          .events()
          .inNamespace(event.getInvolvedObject().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("Could not record Event {}: HTTP {}", event.getReason(), e.getCode());
    }
  }

  /**
   * Sends the Events still queued, waiting up to {@code timeout}; call after the last reconcile has
   * ended.
   */
  public void close(Duration timeout) {
    if (sender == null) {
      return;
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        List<Runnable> dropped = sender.shutdownNow();
        LOG.warn(
            "{} Events not recorded: the API server did not take them within {} ms",
            dropped.size(),
            timeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
