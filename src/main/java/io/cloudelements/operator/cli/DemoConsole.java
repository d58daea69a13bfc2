package io.cloudelements.operator.cli;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.util.Optional;

/** What the demo prints: numbered steps, the Events as they arrive and tables of the resources. */
final class DemoConsole {

  private final PrintStream out;
  private int step;

  DemoConsole(PrintStream out) {
    this.out = out;
  }

  PrintStream out() {
    return out;
  }

  /** The number of the current step, counting from 1. */
  int step() {
    return step;
  }

  void begin(String what) {
    step++;
    out.printf("%n[%d] %s%n", step, what);
  }

  /** Lets the last Events print before a table. */
  static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Watch watchEvents(KubernetesClient client) {
    return client
        .v1()
        .events()
        .inNamespace(DemoResources.NAMESPACE)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Event event) {
                if (action == Action.ADDED) {
                  synchronized (out) {
                    out.printf(
                        "  event  %-17s %-8s %-20s %s%n",
                        event.getInvolvedObject().getName(),
                        event.getType(),
                        event.getReason(),
                        event.getMessage());
                  }
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                // The demo is over.
              }
            });
  }

  void printTable(KubernetesClient client) {
    String format = "  %-18s %-6s %-12s %-12s %s%n";
    out.printf(format, "NAME", "READY", "REASON", "INSTANCE-ID", "SECRET");
    for (CampaignMonitorInstance cr :
        client
            .resources(CampaignMonitorInstance.class)
            .inNamespace(DemoResources.NAMESPACE)
            .list()
            .getItems()) {
      Optional<Condition> ready =
          cr.getStatus() == null ? Optional.empty() : cr.getStatus().condition("Ready");
      out.printf(
          format,
          cr.getMetadata().getName(),
          ready.map(Condition::getStatus).orElse(""),
          ready.map(Condition::getReason).orElse(""),
          cr.getStatus() == null || cr.getStatus().getInstanceId() == null
              ? ""
              : cr.getStatus().getInstanceId(),
          cr.getStatus() == null || cr.getStatus().getSecretName() == null
              ? ""
              : cr.getStatus().getSecretName());
    }
  }
}
