package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import java.util.ArrayList;
import java.util.List;

/** An {@link EventPublisher} that keeps the Events in a list, as {@code "Type Reason: message"}. */
final class RecordedEvents extends EventPublisher {

  private final List<String> events = new ArrayList<>();

  RecordedEvents() {
    super(null);
  }

  @Override
  protected void publish(CampaignMonitorInstance cr, String type, String reason, String message) {
    events.add(type + " " + reason + ": " + message);
  }

  List<String> all() {
    return List.copyOf(events);
  }

  /** Type and reason of each Event, as {@code "Normal Created"}. */
  List<String> reasons() {
    return events.stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
  }
}
