package io.cloudelements.operator.cloudelements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-process limit on concurrent Cloud Elements calls, and the call metrics. */
class MeteredCloudElementsClientTest {

  private static final AccountCredentials ACCOUNT =
      new AccountCredentials("canary-user", "canary-org");
  private static final RemoteInstance INSTANCE =
      new RemoteInstance(7, "x", "canary-token", List.of(), true, false);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExecutorService pool = Executors.newFixedThreadPool(12);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void atMostTheLimitOfCallsRunAtOnceAndTheOthersWaitTheirTurn() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CloudElementsClient slow =
        new Fake() {
          @Override
          public RemoteInstance get(AccountCredentials account, long id) {
            highest.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              running.decrementAndGet();
            }
            return INSTANCE;
          }
        };
    MeteredCloudElementsClient client = new MeteredCloudElementsClient(slow, registry, 3);

    List<Future<RemoteInstance>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(pool.submit(() -> client.get(ACCOUNT, 7)));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.get(MeteredCloudElementsClient.WAITING).gauge().value() == 9);

    assertThat(client.inFlight()).isEqualTo(3);
    assertThat(registry.get(MeteredCloudElementsClient.IN_FLIGHT).gauge().value()).isEqualTo(3);
    release.countDown();
    for (Future<RemoteInstance> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(INSTANCE);
    }
    assertThat(highest).hasValue(3);
    assertThat(client.inFlight()).isZero();
    assertThat(
            registry
                .get(MeteredCloudElementsClient.REQUESTS)
                .tags("operation", "get", "code", "2xx")
                .counter()
                .count())
        .isEqualTo(12);
    assertThat(
            registry
                .get(MeteredCloudElementsClient.DURATION)
                .tags("operation", "get")
                .timer()
                .count())
        .isEqualTo(12);
  }

  @Test
  void aFailedCallIsCountedWithItsStatusAndAPermitIsNeverLost() {
    CloudElementsClient failing =
        new Fake() {
          @Override
          public RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
            throw new CloudElementsException("POST /instances", 401, "bad credentials", null, null);
          }

          @Override
          public RemoteInstance get(AccountCredentials account, long id) {
            throw CloudElementsException.noAnswer(
                "GET /instances/" + id, new HttpTimeoutException("slow"));
          }

          @Override
          public RemoteInstance update(AccountCredentials account, long id, InstancePatch patch) {
            throw CloudElementsException.noAnswer(
                "PATCH /instances/" + id, new IOException("reset"));
          }

          @Override
          public String consentUrl(AccountCredentials account, ConsentRequest request) {
            return "https://consent.example.com/?state=" + request.state();
          }

          @Override
          public boolean delete(AccountCredentials account, long id) {
            return false;
          }

          @Override
          public List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
            throw new IllegalStateException("bug");
          }
        };
    MeteredCloudElementsClient client = new MeteredCloudElementsClient(failing, registry, 1);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> client.create(ACCOUNT, null))
          .isInstanceOf(CloudElementsException.class);
    }
    assertThatThrownBy(() -> client.get(ACCOUNT, 1)).isInstanceOf(CloudElementsException.class);
    assertThatThrownBy(() -> client.update(ACCOUNT, 1, null))
        .isInstanceOf(CloudElementsException.class);
    assertThatThrownBy(() -> client.findByTag(ACCOUNT, "t"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(client.delete(ACCOUNT, 1)).isFalse();

    assertThat(count("create", "401")).isEqualTo(3);
    assertThat(count("get", "timeout")).isEqualTo(1);
    assertThat(count("update", "io_error")).isEqualTo(1);
    assertThat(count("findByTag", "error")).isEqualTo(1);
    assertThat(count("delete", "404")).isEqualTo(1);
    assertThat(client.inFlight()).isZero();
    assertThat(registry.get(MeteredCloudElementsClient.WAITING).gauge().value()).isZero();
  }

  @Test
  void aCallerInterruptedWhileWaitingGivesUpAsACallWithoutAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CloudElementsClient blocking =
        new Fake() {
          @Override
          public RemoteInstance get(AccountCredentials account, long id) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return INSTANCE;
          }
        };
    MeteredCloudElementsClient client = new MeteredCloudElementsClient(blocking, registry, 1);
    Future<RemoteInstance> holder = pool.submit(() -> client.get(ACCOUNT, 1));
    await().until(() -> client.inFlight() == 1);
    Future<RemoteInstance> waiter = pool.submit(() -> client.get(ACCOUNT, 2));
    await().until(() -> registry.get(MeteredCloudElementsClient.WAITING).gauge().value() == 1);

    waiter.cancel(true);
    release.countDown();

    assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo(INSTANCE);
    assertThat(client.get(ACCOUNT, 3)).isEqualTo(INSTANCE);
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void theLimitMustBeAtLeastOne() {
    assertThatThrownBy(() -> new MeteredCloudElementsClient(new Fake(), registry, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private double count(String operation, String code) {
    return registry
        .get(MeteredCloudElementsClient.REQUESTS)
        .tags("operation", operation, "code", code)
        .counter()
        .count();
  }

  /** Every call answers a fixed instance. */
  private static class Fake implements CloudElementsClient {

    @Override
    public RemoteInstance create(AccountCredentials account, DesiredInstance desired) {
      return INSTANCE;
    }

    @Override
    public List<RemoteInstance> findByTag(AccountCredentials account, String tag) {
      return List.of();
    }

    @Override
    public RemoteInstance get(AccountCredentials account, long id) {
      return INSTANCE;
    }

    @Override
    public RemoteInstance update(AccountCredentials account, long id, InstancePatch patch) {
      return INSTANCE;
    }

    @Override
    public RemoteInstance reauthorize(
        AccountCredentials account, long id, DesiredInstance desired) {
      return INSTANCE;
    }

    @Override
    public String consentUrl(AccountCredentials account, ConsentRequest request) {
      return "https://consent.example.com/?state=" + request.state();
    }

    @Override
    public boolean delete(AccountCredentials account, long id) {
      return true;
    }
  }
}
