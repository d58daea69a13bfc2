package io.cloudelements.operator.bench;

import java.time.Duration;

/**
 * What one benchmark run does.
 *
 * @param instances resources created at once (or at {@code applyRate})
 * @param latency latency the simulator adds to every Cloud Elements call
 * @param concurrency reconciles in parallel, and Cloud Elements calls in flight
 *     (MAX_CONCURRENT_RECONCILES and MAX_CONCURRENT_REQUESTS)
 * @param faultRate fraction of Cloud Elements calls that fail during the creation phase (0..1)
 * @param seed seed of the fault mix
 * @param resyncs drift resyncs that each instance goes through in the steady state
 * @param resyncInterval the operator's RESYNC_INTERVAL; null picks {@link #defaultResyncInterval()}
 * @param applyRate resources applied per second; 0 applies all of them at once
 * @param reconcileThreads reconciles in parallel (MAX_CONCURRENT_RECONCILES); 0 picks {@link
 *     #defaultReconcileThreads()}
 * @param warmup resources created and made Ready in a namespace of their own before the measured
 *     ones; 0 for none
 * @param separateProcess whether the operator runs as a process of its own ({@code Main run})
 *     instead of in this one
 * @param apiServer how the mock API server answers
 */
public record BenchOptions(
    int instances,
    Duration latency,
    int concurrency,
    double faultRate,
    long seed,
    int resyncs,
    Duration resyncInterval,
    double applyRate,
    int reconcileThreads,
    int warmup,
    boolean separateProcess,
    ApiServer apiServer) {

  /**
   * How the mock API server answers.
   *
   * @param latency added to every answer but a watch's
   * @param jitter each answer's latency is {@code latency} ± up to this, uniformly; at most {@code
   *     latency}
   * @param tls whether it serves HTTPS (a self-signed certificate), so that the client's TLS costs
   *     count
   */
  public record ApiServer(Duration latency, Duration jitter, boolean tls) {

    public static final ApiServer PLAIN = new ApiServer(Duration.ZERO, Duration.ZERO, false);

    public ApiServer {
      if (latency == null || latency.isNegative()) {
        throw new IllegalArgumentException("--apiserver-latency must be zero or more");
      }
      if (jitter == null || jitter.isNegative() || jitter.compareTo(latency) > 0) {
        throw new IllegalArgumentException(
            "--apiserver-jitter must be zero or more and at most --apiserver-latency ("
                + latency.toMillis()
                + "ms)");
      }
    }
  }

  public static final int DEFAULT_INSTANCES = 1000;
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(100);
  public static final int DEFAULT_CONCURRENCY = 10;
  public static final int DEFAULT_RESYNCS = 2;

  public BenchOptions {
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be at least 1, but was " + instances);
    }
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("--latency must be zero or more");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "--concurrency must be at least 1, but was " + concurrency);
    }
    if (!(faultRate >= 0 && faultRate <= 1)) {
      throw new IllegalArgumentException(
          "--fault-rate must be between 0 and 1, but was " + faultRate);
    }
    if (resyncs < 0) {
      throw new IllegalArgumentException("--resyncs must be 0 or more, but was " + resyncs);
    }
    if (resyncInterval != null && (resyncInterval.isNegative() || resyncInterval.isZero())) {
      throw new IllegalArgumentException("--resync-interval must be longer than 0");
    }
    if (!(applyRate >= 0) || Double.isInfinite(applyRate)) {
      throw new IllegalArgumentException(
          "--apply-rate must be 0 (all at once) or a positive number per second");
    }
    if (reconcileThreads < 0) {
      throw new IllegalArgumentException(
          "--reconcile-threads must be at least 1, but was " + reconcileThreads);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be 0 or more, but was " + warmup);
    }
    if (apiServer == null) {
      apiServer = ApiServer.PLAIN;
    }
  }

  /** The options with a plain mock API server: no latency, no TLS. */
  public BenchOptions(
      int instances,
      Duration latency,
      int concurrency,
      double faultRate,
      long seed,
      int resyncs,
      Duration resyncInterval,
      double applyRate,
      int reconcileThreads,
      int warmup,
      boolean separateProcess) {
    this(
        instances,
        latency,
        concurrency,
        faultRate,
        seed,
        resyncs,
        resyncInterval,
        applyRate,
        reconcileThreads,
        warmup,
        separateProcess,
        ApiServer.PLAIN);
  }

  public static BenchOptions defaults() {
    return new BenchOptions(
        DEFAULT_INSTANCES,
        DEFAULT_LATENCY,
        DEFAULT_CONCURRENCY,
        0,
        1,
        DEFAULT_RESYNCS,
        null,
        0,
        0,
        0,
        false);
  }

  public BenchOptions withInstances(int n) {
    return new BenchOptions(
        n,
        latency,
        concurrency,
        faultRate,
        seed,
        resyncs,
        resyncInterval,
        applyRate,
        reconcileThreads,
        warmup,
        separateProcess,
        apiServer);
  }

  public BenchOptions withLatency(Duration l) {
    return new BenchOptions(
        instances,
        l,
        concurrency,
        faultRate,
        seed,
        resyncs,
        resyncInterval,
        applyRate,
        reconcileThreads,
        warmup,
        separateProcess,
        apiServer);
  }

  public BenchOptions withResyncInterval(Duration interval) {
    return new BenchOptions(
        instances,
        latency,
        concurrency,
        faultRate,
        seed,
        resyncs,
        interval,
        applyRate,
        reconcileThreads,
        warmup,
        separateProcess,
        apiServer);
  }

  /**
   * Twice as many reconciles as Cloud Elements calls in flight: a reconcile also spends time on
   * API-server writes (Secret, Event, status, finalizer) during which it holds no Cloud Elements
   * permit; with only C reconciles, those writes leave Cloud Elements slots idle.
   */
  public int defaultReconcileThreads() {
    return 2 * concurrency;
  }

  public int effectiveReconcileThreads() {
    return reconcileThreads > 0 ? reconcileThreads : defaultReconcileThreads();
  }

  /**
   * The physical lower bound of the creation phase: every resource needs one POST (no tag lookup
   * when no POST can have happened before), one upstream round trip of {@code latency}, and at most
   * {@code concurrency} calls are in flight: N × L / C.
   */
  public Duration lowerBound() {
    return latency.multipliedBy(instances).dividedBy(concurrency);
  }

  /**
   * The resync interval used when none is given: long enough that the first resyncs do not compete
   * with the creation (1.25 × the lower bound plus 5 ms per resource, and at least the 25 ms per
   * resource that the embedded API server's writes take on a small machine when there is no
   * latency), plus the time to apply the resources at the apply rate; at least 3 s.
   */
  public Duration defaultResyncInterval() {
    Duration guess = Duration.ofNanos(lowerBound().toNanos() * 5 / 4).plusMillis(5L * instances);
    Duration apiServer = Duration.ofMillis(25L * instances);
    if (guess.compareTo(apiServer) < 0) {
      guess = apiServer;
    }
    if (applyRate > 0) {
      guess = guess.plusMillis((long) (instances * 1000 / applyRate));
    }
    return guess.compareTo(Duration.ofSeconds(3)) < 0 ? Duration.ofSeconds(3) : guess;
  }

  public Duration effectiveResyncInterval() {
    return resyncInterval != null ? resyncInterval : defaultResyncInterval();
  }

  /** How long the creation phase may take before the run counts as failed. */
  public Duration creationTimeout() {
    Duration bound = lowerBound().multipliedBy(5).plusMillis(100L * instances);
    if (applyRate > 0) {
      bound = bound.plusMillis((long) (instances * 1000 / applyRate));
    }
    return bound.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : bound;
  }
}
