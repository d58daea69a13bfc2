package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The mock API server alone, without the operator and without Cloud Elements: for N resources, at
 * concurrency C, the same API-server requests that creating one instance costs (the resource's
 * create, the metadata patch with the finalizer and the create intent, the output Secret, the
 * Created Event, the status patch), with the same watches open (the operator's two informers and
 * the benchmark's Ready watch). What it takes is the floor that the embedded API server sets under
 * any operator.
 */
public final class MockBaseline {

  /** The figures of the mock alone. */
  public record Result(
      int instances, int concurrency, Duration wall, Map<String, Long> requestsByVerb) {

    public long requests() {
      return requestsByVerb.values().stream().mapToLong(Long::longValue).sum();
    }

    public List<String> lines() {
      double perResource = wall.toNanos() / 1e6 / instances;
      double perRequest = wall.toNanos() / 1e6 * concurrency / Math.max(1, requests());
      return List.of(
          String.format(
              Locale.ROOT,
              "%-32s %d resources x (create, finalizer and intent patch, Secret create,"
                  + " Event create, status patch) at concurrency %d",
              "mock API server alone",
              instances,
              concurrency),
          String.format(
              Locale.ROOT,
              "%-32s %s; %.2f ms per resource; %.2f ms per request and thread",
              "mock API server wall time",
              BenchReport.seconds(wall),
              perResource,
              perRequest),
          String.format(Locale.ROOT, "%-32s %s", "mock API server requests", requestsByVerb));
    }
  }

  private MockBaseline() {}

  public static Result run(int instances, int concurrency, PrintStream progress)
      throws InterruptedException {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.newClient();
      List<Watch> watches = new ArrayList<>();
      try {
        for (Secret secret : BenchResources.inputSecrets()) {
          client.resource(secret).create();
        }
        watches.add(
            client.resources(CampaignMonitorInstance.class).inAnyNamespace().watch(ignore()));
        watches.add(
            client
                .resources(CampaignMonitorInstance.class)
                .inNamespace(BenchResources.NAMESPACE)
                .watch(ignore()));
        watches.add(client.secrets().inAnyNamespace().watch(ignore()));
        Map<String, Long> before = kubernetes.dispatcher().requestsByVerb();
        if (progress != null) {
          progress.printf(
              "bench: the mock API server alone: %d resources at concurrency %d%n",
              instances, concurrency);
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Instant start = Instant.now();
        try {
          List<Future<?>> work = new ArrayList<>();
          for (int i = 0; i < instances; i++) {
            String name = BenchResources.name(i);
            work.add(pool.submit(() -> oneResource(client, name)));
          }
          for (Future<?> f : work) {
            f.get();
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "The mock API server failed a request: " + e.getCause(), e.getCause());
        } finally {
          pool.shutdownNow();
        }
        Duration wall = Duration.between(start, Instant.now());
        Map<String, Long> after = kubernetes.dispatcher().requestsByVerb();
        Map<String, Long> diff = new TreeMap<>();
        after.forEach(
            (verb, count) -> {
              long d = count - before.getOrDefault(verb, 0L);
              if (d != 0) {
                diff.put(verb, d);
              }
            });
        return new Result(instances, concurrency, wall, diff);
      } finally {
        watches.forEach(Watch::close);
        client.close();
      }
    }
  }

  /** The API-server side of creating one instance, as the operator does it. */
  private static void oneResource(KubernetesClient client, String name) {
    CampaignMonitorInstance cr = client.resource(BenchResources.resource(name)).create();
    cr =
        client
            .resource(cr)
            .edit(
                c -> {
                  c.addFinalizer(CampaignMonitorInstanceReconciler.FINALIZER);
                  c.getMetadata()
                      .setAnnotations(
                          Map.of("cloudelements.io/create-pending", Instant.now().toString()));
                  return c;
                });
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-instance")
                .withNamespace(BenchResources.NAMESPACE)
                .addNewOwnerReference()
                .withApiVersion(cr.getApiVersion())
                .withKind(cr.getKind())
                .withName(name)
                .withUid(cr.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withData(
                    Map.of(
                        "id",
                        "MTAwMA==",
                        "token",
                        "dG9rZW4tdG9rZW4tdG9rZW4tdG9rZW4tdG9rZW4tdG9rZW4="))
                .build())
        .create();
    client
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withGenerateName(name + ".")
                .withNamespace(BenchResources.NAMESPACE)
                .endMetadata()
                .withNewInvolvedObject()
                .withKind(cr.getKind())
                .withName(name)
                .withNamespace(BenchResources.NAMESPACE)
                .withUid(cr.getMetadata().getUid())
                .endInvolvedObject()
                .withType("Normal")
                .withReason("Created")
                .withMessage(
                    "Created instance 1000; Secret " + name + "-instance holds its id and token")
                .build())
        .create();
    CampaignMonitorInstanceStatus status = new CampaignMonitorInstanceStatus();
    status.setInstanceId(1000L);
    status.setSecretName(name + "-instance");
    status.setObservedGeneration(1L);
    status.setConditions(
        List.of(
            new Condition(
                "Ready",
                Condition.TRUE,
                1L,
                Instant.now().toString(),
                "Available",
                "Instance 1000 is available")));
    cr.getMetadata().setResourceVersion(null);
    client
        .resource(cr)
        .editStatus(
            c -> {
              c.setStatus(status);
              return c;
            });
  }

  private static <T extends HasMetadata> Watcher<T> ignore() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        // only the server's cost of sending it matters
      }

      @Override
      public void onClose(WatcherException cause) {
        // done
      }
    };
  }
}
