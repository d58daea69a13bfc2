package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Injected faults, holds, the random fault mix and latency. */
class FaultPlanTest extends SimulatorHttpTest {

  @Test
  void statusFaultAnswersWithoutProcessing() throws Exception {
    simulator.inject(Fault.status(503).on("POST", "/instances").times(2));
    simulator.inject(Fault.status(500).on("GET", "/instances/"));

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> failed = call("POST", "/instances", basicBody("t"));
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(json(failed).path("requestId").asText()).isNotBlank();
      assertThat(json(failed).path("message").asText()).isNotBlank();
    }
    assertThat(simulator.instances()).isEmpty();
    long id = createBasic("t");
    assertThat(call("GET", "/instances?" + tagQuery("t"), null).statusCode())
        .isEqualTo(200); // prefix mismatch
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(500);
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void rateLimitFaultSendsRetryAfter() throws Exception {
    simulator.inject(Fault.rateLimited(7));
    HttpResponse<String> limited = call("POST", "/instances", basicBody("t"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(simulator.instances()).isEmpty();
    assertThat(call("POST", "/instances", basicBody("t")).statusCode()).isEqualTo(200);
  }

  @Test
  void dropAfterProcessingCreatesTheInstanceButTheClientSeesAnIoError() {
    simulator.inject(Fault.dropAfterProcessing().on("POST", "/instances"));

    assertThatThrownBy(() -> call("POST", "/instances", basicBody("lost-response")))
        .isInstanceOf(IOException.class);
    assertThat(simulator.instances())
        .singleElement()
        .satisfies(i -> assertThat(i.tags()).containsExactly("lost-response"));
    assertThat(simulator.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.status()).isZero();
            });
  }

  @Test
  void resetBeforeProcessingChangesNothing() throws Exception {
    simulator.inject(Fault.resetBeforeProcessing().on("POST", "/instances"));
    assertThatThrownBy(() -> call("POST", "/instances", basicBody("t")))
        .isInstanceOf(IOException.class);
    assertThat(simulator.instances()).isEmpty();

    // java.net.http.HttpClient silently retries a GET once when the connection closes before any
    // answer,
    // so a GET needs the fault twice to surface.
    long id = createBasic("t");
    simulator.inject(Fault.resetBeforeProcessing().on("GET", "/instances/").times(2));
    assertThatThrownBy(() -> call("GET", "/instances/" + id, null)).isInstanceOf(IOException.class);
    assertThat(simulator.count("GET", "/instances/")).isEqualTo(2);
    assertThat(call("GET", "/instances/" + id, null).statusCode()).isEqualTo(200);
  }

  @Test
  void delayFaultMakesClientsTimeOutWhileTheRequestIsStillProcessed() throws Exception {
    simulator.inject(Fault.delay(Duration.ofMillis(800)).on("POST", "/instances"));
    HttpRequest slow =
        request("POST", "/instances", basicBody("slow"), AUTH, "application/json")
            .timeout(Duration.ofMillis(200))
            .build();
    assertThatThrownBy(() -> client.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(simulator.instances()).isEmpty();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (simulator.instances().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(simulator.instances()).hasSize(1);
  }

  @Test
  void holdAfterProcessingCreatesTheInstanceAndAnswersOnlyWhenReleased() throws Exception {
    Hold hold = new Hold();
    simulator.inject(Fault.holdAfterProcessing(hold).on("POST", "/instances"));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer =
          background.submit(() -> call("POST", "/instances", basicBody("held")));

      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      assertThat(hold.isHolding()).isTrue();
      assertThat(simulator.instances())
          .singleElement()
          .satisfies(i -> assertThat(i.tags()).containsExactly("held"));
      assertThat(simulator.inFlight()).isEqualTo(1);
      assertThat(answer.isDone()).isFalse();

      hold.release();
      assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(simulator.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(hold.arrivals()).isEqualTo(1);
      assertThat(hold.isHolding()).isFalse();
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void holdBeforeProcessingThenDropChangesNothingAndClosesTheConnection() throws Exception {
    long id = createBasic("t");
    Hold hold = new Hold();
    simulator.inject(Fault.holdBeforeProcessing(hold).on("DELETE", "/instances/"));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer =
          background.submit(() -> call("DELETE", "/instances/" + id, null));

      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      hold.drop();

      assertThatThrownBy(() -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
      assertThat(simulator.instance(id)).isPresent();
      assertThat(simulator.requests()).last().satisfies(r -> assertThat(r.status()).isZero());
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void holdAfterProcessingThenDropKeepsTheEffect() throws Exception {
    long id = createBasic("t");
    Hold hold = new Hold();
    hold.drop();
    simulator.inject(Fault.holdAfterProcessing(hold).on("DELETE", "/instances/"));

    assertThatThrownBy(() -> call("DELETE", "/instances/" + id, null))
        .isInstanceOf(IOException.class);
    assertThat(simulator.instance(id)).isEmpty();
    assertThat(hold.arrivals()).isEqualTo(1);
  }

  @Test
  void closingTheSimulatorEndsAHold() throws Exception {
    Hold hold = new Hold();
    CloudElementsSimulator own = CloudElementsSimulator.start(SimulatorOptions.defaults());
    own.inject(Fault.holdBeforeProcessing(hold));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> answer =
          background.submit(
              () ->
                  client.send(
                      HttpRequest.newBuilder(URI.create(own.baseUrl() + "/instances"))
                          .header("Authorization", AUTH)
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.ofString()));
      assertThat(hold.awaitHeld(Duration.ofSeconds(5))).isTrue();
      own.close();
      assertThatThrownBy(() -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
    } finally {
      background.shutdownNow();
      own.close();
    }
  }

  @Test
  void aFaultCanTargetTheRequestsOfOneTagAndRequestsRecordTheirTags() throws Exception {
    simulator.inject(Fault.status(403).on("POST", "/instances").withTag("victim").times(5));

    assertThat(call("POST", "/instances", basicBody("bystander")).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/instances", basicBody("x", "victim")).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/instances?" + tagQuery("victim"), null).statusCode()).isEqualTo(404);

    assertThat(simulator.requests())
        .extracting(RecordedRequest::tags)
        .containsExactly(List.of("bystander"), List.of("x", "victim"), List.of("victim"));
    assertThat(simulator.instances())
        .singleElement()
        .satisfies(i -> assertThat(i.tags()).containsExactly("bystander"));
    assertThat(Fault.status(403).withTag("victim").toString()).contains("tagged victim");
  }

  @Test
  void theRandomTimeoutCanBeShortenedAndTheRequestIsProcessedAfterIt() throws Exception {
    try (CloudElementsSimulator slow = CloudElementsSimulator.start(SimulatorOptions.defaults())) {
      slow.setRandomTimeout(Duration.ofMillis(600));
      // Seeded so that the first roll is a fault; retried until it is the timeout kind.
      boolean sawTimeout = false;
      for (long seed = 0; seed < 200 && !sawTimeout; seed++) {
        slow.setFaultRate(1.0, seed);
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(slow.baseUrl() + "/instances"))
                .timeout(Duration.ofMillis(150))
                .header("Authorization", AUTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(basicBody("late-" + seed)))
                .build();
        try {
          client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
          sawTimeout = true;
        } catch (IOException e) {
          // a reset
        }
      }
      assertThat(sawTimeout).isTrue();
      assertThat(slow.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(slow.instances()).as("the timed-out POST was processed after its hang").hasSize(1);
    }
  }

  @Test
  void latencyIsAddedToEveryRequest() throws Exception {
    simulator.setLatency(Duration.ofMillis(250));
    long started = System.nanoTime();
    call("GET", "/instances", null);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void randomFaultRateFailsTheGivenFraction() throws Exception {
    // A separate simulator: the random "timeouts" hang 30 s server-side, and close() cuts them off.
    try (CloudElementsSimulator flaky = CloudElementsSimulator.start(SimulatorOptions.defaults())) {
      flaky.setFaultRate(1.0, 42);
      Set<String> outcomes = new HashSet<>();
      for (int i = 0; i < 15; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(flaky.baseUrl() + "/instances"))
                .timeout(Duration.ofMillis(150))
                .header("Authorization", AUTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(basicBody("r")))
                .build();
        try {
          HttpResponse<String> response =
              client.send(request, HttpResponse.BodyHandlers.ofString());
          outcomes.add(String.valueOf(response.statusCode()));
          if (response.statusCode() == 429) {
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
          }
        } catch (HttpTimeoutException e) {
          outcomes.add("timeout");
        } catch (IOException e) {
          outcomes.add("reset");
        }
      }
      assertThat(outcomes)
          .isSubsetOf("500", "503", "429", "timeout", "reset")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(flaky.count("POST", "/instances")).isEqualTo(15);

      flaky.setFaultRate(0, 1);
      HttpResponse<String> healthy =
          client.send(
              HttpRequest.newBuilder(URI.create(flaky.baseUrl() + "/instances"))
                  .header("Authorization", AUTH)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(healthy.statusCode()).isIn(200, 404);
    }
  }
}
