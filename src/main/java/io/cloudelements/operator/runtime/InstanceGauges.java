package io.cloudelements.operator.runtime;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler;
import io.cloudelements.operator.reconciler.StatusConditions;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges {@code campaignmonitorinstances{namespace,ready,reason}}: how many resources have each
 * Ready condition, counted from the operator's own informer cache when {@link #refresh()} runs
 * (before each scrape), so they cost no API call. A resource without a Ready condition counts as
 * {@code ready="Unknown",reason="Unknown"}. Only the replica that reconciles publishes them, so
 * that a sum over replicas counts each resource once.
 */
public final class InstanceGauges {

  public static final String NAME = "campaignmonitorinstances";
  static final String UNKNOWN = "Unknown";
  private static final Logger LOG = LoggerFactory.getLogger(InstanceGauges.class);

  private final MultiGauge gauge;
  private final Supplier<Stream<CampaignMonitorInstance>> resources;
  private final BooleanSupplier publish;

  public InstanceGauges(
      MeterRegistry registry,
      Supplier<Stream<CampaignMonitorInstance>> resources,
      BooleanSupplier publish) {
    this.gauge =
        MultiGauge.builder(NAME)
            .description(
                "CampaignMonitorInstances by namespace and by the status and reason of their Ready condition")
            .register(registry);
    this.resources = resources;
    this.publish = publish;
  }

  /** The resources in the primary informer cache of the operator's controller. */
  @SuppressWarnings("unchecked")
  public static Supplier<Stream<CampaignMonitorInstance>> cacheOf(Operator operator) {
    return () ->
        operator
            .getRegisteredController(CampaignMonitorInstanceReconciler.NAME)
            .map(
                c ->
                    ((Controller<CampaignMonitorInstance>) c)
                        .getEventSourceManager()
                        .getControllerEventSource()
                        .list())
            .orElseGet(Stream::empty);
  }

  public synchronized void refresh() {
    Map<Tags, Long> counts;
    try {
      counts =
          publish.getAsBoolean()
              ? resources
                  .get()
                  .collect(Collectors.groupingBy(InstanceGauges::tagsOf, Collectors.counting()))
              : Map.of();
    } catch (RuntimeException e) {
      // The cache is not there yet (starting) or any more (stopping): keep what was published.
      LOG.debug("Cannot count the resources now: {}", e.toString());
      return;
    }
    List<MultiGauge.Row<?>> rows =
        counts.entrySet().stream()
            .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
            .collect(Collectors.toList());
    gauge.register(rows, true);
  }

  static Tags tagsOf(CampaignMonitorInstance cr) {
    Optional<Condition> ready =
        Optional.ofNullable(cr.getStatus()).flatMap(s -> s.condition(StatusConditions.READY));
    return Tags.of(
        "namespace", Optional.ofNullable(cr.getMetadata().getNamespace()).orElse(""),
        "ready", ready.map(Condition::getStatus).filter(s -> !s.isBlank()).orElse(UNKNOWN),
        "reason", ready.map(Condition::getReason).filter(s -> !s.isBlank()).orElse(UNKNOWN));
  }
}
