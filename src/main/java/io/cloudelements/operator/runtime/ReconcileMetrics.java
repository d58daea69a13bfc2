package io.cloudelements.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * JOSDK's reconcile metrics ({@link MicrometerMetricsV2}, with a namespace tag), with two fixes:
 *
 * <ul>
 *   <li>a reconcile that throws reaches the reconciler's {@code updateErrorStatus} and JOSDK's
 *       retry with its own exception: {@code MicrometerMetricsV2} wraps it in an {@code
 *       OperatorException} while it times it;
 *   <li>every meter of one name has the same tag keys, as Prometheus requires: JOSDK tags {@code
 *       events.received} with {@code action} and {@code namespace} only for resource events, so the
 *       counts of its other events would be dropped. A missing tag gets an empty value, which
 *       Prometheus treats as no label at all.
 * </ul>
 *
 * The caller's registry gets no filter: the meters go through a composite registry of their own.
 */
public final class ReconcileMetrics implements Metrics {

  private static final String CONTROLLER_NAME = "controller.name";

  /** JOSDK's counters that carry a namespace tag only when the resource has a namespace. */
  private static final Set<String> NAMESPACED =
      Set.of(
          "events.received",
          MicrometerMetricsV2.RECONCILIATIONS_STARTED,
          MicrometerMetricsV2.RECONCILIATIONS_SUCCESS,
          MicrometerMetricsV2.RECONCILIATIONS_FAILED,
          MicrometerMetricsV2.RECONCILIATIONS_RETRIES_NUMBER);

  private final MeterRegistry registry;
  private final MicrometerMetricsV2 delegate;
  private final Map<String, Timer> executionTimers = new ConcurrentHashMap<>();

  private ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.delegate = MicrometerMetricsV2.newBuilder(registry).withNamespaceAsTag().build();
  }

  /** JOSDK's metrics into {@code target}. */
  public static ReconcileMetrics into(MeterRegistry target) {
    CompositeMeterRegistry josdk = new CompositeMeterRegistry();
    josdk
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                if (!NAMESPACED.contains(id.getName())) {
                  return id;
                }
                Meter.Id mapped =
                    id.getTag("namespace") == null ? id.withTag(Tag.of("namespace", "")) : id;
                if (id.getName().equals("events.received") && id.getTag("action") == null) {
                  mapped = mapped.withTag(Tag.of("action", ""));
                }
                return mapped;
              }
            });
    josdk.add(target);
    return new ReconcileMetrics(josdk);
  }

  /**
   * Times the reconcile or cleanup in JOSDK's execution timer, and lets its exception through
   * unchanged.
   */
  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    // The same meter as the one MicrometerMetricsV2 registered for the controller, with its
    // buckets; looked up once per controller.
    Timer timer =
        executionTimers.computeIfAbsent(
            execution.controllerName(),
            name ->
                Timer.builder(MicrometerMetricsV2.RECONCILIATION_EXECUTION_DURATION)
                    .tag(CONTROLLER_NAME, name)
                    .register(registry));
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void eventReceived(Event event, Map<String, Object> metadata) {
    delegate.eventReceived(event, metadata);
  }

  @Override
  public void reconciliationSubmitted(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconciliationSubmitted(resource, retryInfo, metadata);
  }

  @Override
  public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationStarted(resource, metadata);
  }

  @Override
  public void reconciliationFailed(
      HasMetadata resource, RetryInfo retry, Exception exception, Map<String, Object> metadata) {
    delegate.reconciliationFailed(resource, retry, exception, metadata);
  }

  @Override
  public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationSucceeded(resource, metadata);
  }

  @Override
  public void reconciliationFinished(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconciliationFinished(resource, retryInfo, metadata);
  }

  @Override
  public void cleanupDone(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDone(resourceID, metadata);
  }
}
