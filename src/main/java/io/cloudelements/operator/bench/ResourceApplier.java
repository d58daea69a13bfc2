package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Applies the bench's resources, the way a user or a CI job would, from a few threads. */
final class ResourceApplier {

  private static final int APPLY_THREADS = 4;

  private ResourceApplier() {}

  /**
   * Creates the resources from a few threads, at once or at the apply rate; returns when each
   * create started.
   */
  static Map<String, Instant> apply(KubernetesClient client, String namespace, int n, double rate)
      throws InterruptedException {
    Map<String, Instant> applied = new ConcurrentHashMap<>();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            APPLY_THREADS,
            r -> {
              Thread t = new Thread(r, "bench-apply-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> creates = new ArrayList<>(n);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (rate > 0) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        String name = BenchResources.name(i);
        creates.add(
            pool.submit(
                () -> {
                  applied.put(name, Instant.now());
                  try {
                    client
                        .resources(CampaignMonitorInstance.class)
                        .inNamespace(namespace)
                        .resource(BenchResources.resource(namespace, name))
                        .create();
                  } catch (KubernetesClientException e) {
                    // The client retries a create that timed out; a 409 then means an earlier try
                    // of it took effect.
                    if (e.getCode() != 409) {
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> create : creates) {
        try {
          create.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "Creating a resource failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return applied;
  }
}
