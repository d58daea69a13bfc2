package io.cloudelements.operator.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What goes wrong, and how slowly: the queued fault rules, the random fault mix, the latency and
 * the random hang.
 */
final class FaultPlan {

  /**
   * How long the "timeout" of the random fault mix hangs before processing, unless {@link
   * #setRandomTimeout} says.
   */
  static final Duration RANDOM_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(FaultPlan.class);

  /** What the random fault mix does to a request, evenly spread. */
  enum RandomFault {
    HTTP_500,
    HTTP_503,
    HTTP_429,
    RESET,
    TIMEOUT
  }

  /** Guards faults and the random fault settings. */
  private final Object lock = new Object();

  private final List<ArmedFault> faults = new ArrayList<>();
  private final Duration initialLatency;
  private double faultRate;
  private Random faultRandom = new Random(0);
  private volatile Duration latency;
  private volatile Duration randomTimeout = RANDOM_TIMEOUT;

  FaultPlan(Duration initialLatency) {
    this.initialLatency = initialLatency;
    this.latency = initialLatency;
  }

  void inject(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException("fault must not be null");
    }
    synchronized (lock) {
      faults.add(new ArmedFault(fault));
    }
    LOG.debug("Simulator fault queued: {}", fault);
  }

  void clearFaults() {
    synchronized (lock) {
      faults.clear();
    }
  }

  void setLatency(Duration newLatency) {
    if (newLatency == null || newLatency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive");
    }
    this.latency = newLatency;
  }

  Duration latency() {
    return latency;
  }

  void setFaultRate(double rate, long seed) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("rate must be between 0 and 1");
    }
    synchronized (lock) {
      this.faultRate = rate;
      this.faultRandom = new Random(seed);
    }
  }

  void setRandomTimeout(Duration hang) {
    if (hang == null || hang.isNegative()) {
      throw new IllegalArgumentException("hang must be zero or positive");
    }
    this.randomTimeout = hang;
  }

  Duration randomTimeout() {
    return randomTimeout;
  }

  /** The first queued rule matching the request, spent once; null when none matches. */
  Fault takeFault(String method, String path, List<String> tags) {
    synchronized (lock) {
      for (int i = 0; i < faults.size(); i++) {
        ArmedFault armed = faults.get(i);
        if (armed.fault.matches(method, path, tags)) {
          if (--armed.remaining <= 0) {
            faults.remove(i);
          }
          return armed.fault;
        }
      }
      return null;
    }
  }

  /** A random fault for this request, at the configured rate; null for most requests. */
  RandomFault rollRandomFault() {
    synchronized (lock) {
      if (faultRate <= 0 || faultRandom.nextDouble() >= faultRate) {
        return null;
      }
      RandomFault[] kinds = RandomFault.values();
      return kinds[faultRandom.nextInt(kinds.length)];
    }
  }

  /**
   * Forgets the queued rules and restores the fault rate (0), the random timeout and the initial
   * latency.
   */
  void reset() {
    synchronized (lock) {
      faults.clear();
      faultRate = 0;
      faultRandom = new Random(0);
    }
    latency = initialLatency;
    randomTimeout = RANDOM_TIMEOUT;
  }

  private static final class ArmedFault {
    final Fault fault;
    int remaining;

    ArmedFault(Fault fault) {
      this.fault = fault;
      this.remaining = fault.times();
    }
  }
}
