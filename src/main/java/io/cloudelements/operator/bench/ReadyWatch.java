package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches the resources of one namespace and notes when each one first reports Ready=True, and its
 * instance id.
 */
final class ReadyWatch implements AutoCloseable {

  /**
   * When a resource was first seen Ready, the instance id its status names, and the resource's uid.
   */
  record Ready(Instant at, long instanceId, String uid) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Ready> ready = new ConcurrentHashMap<>();
  private final Map<String, Boolean> readyNow = new ConcurrentHashMap<>();
  private final CountDownLatch all;
  private volatile Watch watch;
  private volatile boolean closed;

  private ReadyWatch(KubernetesClient client, String namespace, int expected) {
    this.client = client;
    this.namespace = namespace;
    this.all = new CountDownLatch(expected);
  }

  static ReadyWatch start(KubernetesClient client, String namespace, int expected) {
    ReadyWatch readyWatch = new ReadyWatch(client, namespace, expected);
    readyWatch.open();
    return readyWatch;
  }

  private void open() {
    watch =
        client
            .resources(CampaignMonitorInstance.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, CampaignMonitorInstance cr) {
                    if (action == Action.ADDED || action == Action.MODIFIED) {
                      seen(cr);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // The server ended the watch (the mock server does not, but a real one may):
                    // start it again. The resources
                    // come again as ADDED; those already Ready keep their first time.
                    if (!closed) {
                      open();
                    }
                  }
                });
  }

  private void seen(CampaignMonitorInstance cr) {
    boolean isReady =
        cr.getStatus() != null
            && cr.getStatus().getInstanceId() != null
            && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
    readyNow.put(cr.getMetadata().getName(), isReady);
    if (!isReady) {
      return;
    }
    Instant now = Instant.now();
    if (ready.putIfAbsent(
            cr.getMetadata().getName(),
            new Ready(now, cr.getStatus().getInstanceId(), cr.getMetadata().getUid()))
        == null) {
      all.countDown();
    }
  }

  /** Waits until every expected resource was Ready; false on timeout. */
  boolean await(Duration timeout) throws InterruptedException {
    return all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Name → first Ready; a snapshot. */
  Map<String, Ready> ready() {
    return Map.copyOf(ready);
  }

  int readyCount() {
    return ready.size();
  }

  /** Whether at least {@code n} resources are Ready now (not only were once). */
  boolean allReadyNow(int n) {
    return readyNow.values().stream().filter(Boolean::booleanValue).count() >= n;
  }

  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }
}
