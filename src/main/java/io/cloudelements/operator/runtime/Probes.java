package io.cloudelements.operator.runtime;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Liveness and readiness of the operator, from JOSDK's {@link RuntimeInfo}.
 *
 * <ul>
 *   <li>Live: the operator has started and every event source (informers, timers) is healthy.
 *   <li>Ready: live-ish as above, every informer has synced its cache, and this replica may
 *       reconcile (it holds the Lease, or leader election is off).
 * </ul>
 */
public final class Probes {

  private final Operator operator;
  private final Leadership leadership;

  public Probes(Operator operator, Leadership leadership) {
    this.operator = operator;
    this.leadership = leadership;
  }

  public Check liveness() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return Check.failed("operator is not started");
    }
    if (!info.allEventSourcesAreHealthy()) {
      List<String> unhealthy = new ArrayList<>();
      info.unhealthyEventSources()
          .forEach(
              (controller, sources) ->
                  sources.keySet().forEach(source -> unhealthy.add(controller + "/" + source)));
      return Check.failed("unhealthy event sources: " + String.join(", ", unhealthy));
    }
    return Check.ok("ok");
  }

  @SuppressWarnings("rawtypes")
  public Check readiness() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return Check.failed("operator is not started");
    }
    List<String> unsynced = new ArrayList<>();
    for (RegisteredController controller : info.getRegisteredControllers()) {
      String name = controller.getConfiguration().getName();
      controller
          .getControllerHealthInfo()
          .informerEventSourceHealthIndicators()
          .forEach(
              (source, indicator) -> {
                Map<String, InformerHealthIndicator> informers =
                    indicator.informerHealthIndicators();
                informers.forEach(
                    (namespace, informer) -> {
                      if (!informer.hasSynced()) {
                        unsynced.add(
                            name
                                + "/"
                                + source
                                + (namespace == null || namespace.isEmpty()
                                    ? ""
                                    : " in " + namespace));
                      }
                    });
              });
    }
    if (!unsynced.isEmpty()) {
      return Check.failed("informers not synced: " + String.join(", ", unsynced));
    }
    if (!leadership.mayReconcile()) {
      String holder = leadership.currentLeader();
      return Check.failed(
          "standby: not the leader"
              + (holder == null ? "" : " (the Lease is held by " + holder + ")"));
    }
    return Check.ok(leadership.enabled() ? "ok (leader)" : "ok");
  }
}
