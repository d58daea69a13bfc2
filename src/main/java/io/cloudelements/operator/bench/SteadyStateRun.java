package io.cloudelements.operator.bench;

import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The steady state after all were Ready: (with faults, once they have settled) lets the given
 * number of drift resyncs pass and takes the API server's and the operator's figures meanwhile.
 */
final class SteadyStateRun {

  /**
   * What the steady state leaves before the Cloud Elements calls are counted.
   *
   * @param start when the steady state began
   * @param settling with faults: from all Ready until the start; null without faults
   * @param cpuFrom when the operator's CPU time was first read
   * @param cpuTo when it was read last
   */
  record Window(
      Instant start,
      Duration settling,
      Duration duration,
      Map<String, Long> kubernetes,
      ApiServerTimes apiServer,
      long operatorCpuNanos,
      Instant cpuFrom,
      Instant cpuTo) {

    SteadyPhase phase(CloudElementsCalls calls, List<RecordedRequest> requests) {
      return new SteadyPhase(
          duration,
          kubernetes,
          calls.steady(),
          calls.settling(),
          settling,
          calls.getsMin(),
          calls.getsMax(),
          calls.getsTotal(),
          CloudElementsCalls.instanceGets(requests, cpuFrom, cpuTo),
          calls.getAnomalies(),
          apiServer,
          operatorCpuNanos);
    }
  }

  private final BenchOptions options;
  private final Progress progress;
  private final Duration interval;

  SteadyStateRun(BenchOptions options, Progress progress, Duration interval) {
    this.options = options;
    this.progress = progress;
    this.interval = interval;
  }

  Window run(
      CreationRun.Created created,
      CloudElementsSimulator simulator,
      EmbeddedKubernetes kubernetes,
      ReadyWatch watch,
      OperatorUnderTest operator)
      throws InterruptedException {
    Instant steadyStart = created.allReadyAt();
    Map<String, Long> k8sAtSteadyStart = created.kubernetesAtReady();
    // After the forced collections of memoryAtReady(), so that their CPU is not counted as the
    // resyncs'.
    Instant cpuFrom = Instant.now();
    OperatorReading atSteadyStart = OperatorReading.of(operator);
    Duration settling = null;
    if (options.faultRate() > 0 && created.allReady()) {
      progress.say(
          "faults off; waiting until the requests they held are answered and all are Ready again");
      steadyStart = settle(simulator, kubernetes, watch, options.instances());
      k8sAtSteadyStart = kubernetes.dispatcher().requestsByVerb();
      cpuFrom = Instant.now();
      atSteadyStart = OperatorReading.of(operator);
      settling = Duration.between(created.allReadyAt(), steadyStart);
    }
    if (created.allReady()) {
      waitForResyncs(steadyStart);
    }
    OperatorReading atSteadyEnd = OperatorReading.of(operator);
    Instant cpuTo = Instant.now();
    Map<String, Long> k8sSteady =
        ApiServerWrites.difference(kubernetes.dispatcher().requestsByVerb(), k8sAtSteadyStart);
    Duration steadyDuration = Duration.between(steadyStart, Instant.now());
    return new Window(
        steadyStart,
        settling,
        steadyDuration,
        k8sSteady,
        ApiServerTimes.between(atSteadyStart.apiServer(), atSteadyEnd.apiServer()),
        atSteadyEnd.cpuSince(atSteadyStart),
        cpuFrom,
        cpuTo);
  }

  /**
   * Lets the resyncs pass: resyncs intervals and a half (without resyncs, half an interval but at
   * most 2 s).
   */
  private void waitForResyncs(Instant steadyStart) throws InterruptedException {
    Duration half = interval.dividedBy(2);
    Instant end =
        steadyStart
            .plus(interval.multipliedBy(options.resyncs()))
            .plus(
                options.resyncs() > 0
                    ? half
                    : half.compareTo(Duration.ofSeconds(2)) < 0 ? half : Duration.ofSeconds(2));
    progress.say(
        "steady state: %d resyncs every %s, until %s from now",
        options.resyncs(),
        BenchReport.seconds(interval),
        BenchReport.seconds(Duration.between(Instant.now(), end)));
    long wait = Duration.between(Instant.now(), end).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /**
   * After a creation with faults: waits until the requests the faults held are answered, every
   * resource is Ready again, and the API server has seen no write for 2 s (at most 3 minutes);
   * returns when.
   */
  private static Instant settle(
      CloudElementsSimulator simulator, EmbeddedKubernetes kubernetes, ReadyWatch watch, int n)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(180);
    simulator.awaitIdle(Duration.ofSeconds(60));
    long writes = ApiServerWrites.writes(kubernetes.dispatcher().requestsByVerb());
    Instant quietSince = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      long now = ApiServerWrites.writes(kubernetes.dispatcher().requestsByVerb());
      if (now != writes) {
        writes = now;
        quietSince = Instant.now();
      }
      if (watch.allReadyNow(n)
          && simulator.inFlight() == 0
          && Duration.between(quietSince, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0) {
        break;
      }
    }
    return Instant.now();
  }
}
