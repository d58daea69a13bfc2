package io.cloudelements.operator.bench;

import io.cloudelements.operator.runtime.ApiServerRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The operator being measured: in the bench's process ({@link InProcessOperator}) or a process of
 * its own.
 */
interface OperatorUnderTest extends AutoCloseable {

  /** Starts it; returns once it is up. */
  void start() throws InterruptedException;

  /**
   * What its start-up figures count from: the JVM's start in process, the process's start
   * otherwise.
   */
  Instant origin();

  /** From {@link #origin()} until it was up. */
  Duration toStarted();

  /** Its process id, or -1 when it runs in this process. */
  long pid();

  /**
   * CPU time of the process it runs in (this whole process, when it shares it), in nanoseconds; -1
   * when unknown.
   */
  long cpuNanos();

  /**
   * Whether it runs in the bench's process, so that its CPU and memory figures include the mock and
   * the simulator.
   */
  boolean sharesThisProcess();

  /** Its requests to the API server so far, by verb, as its client timed them. */
  Map<String, ApiServerRequests.Totals> apiServerRequests();

  /**
   * Resources it created Ready before the measured ones, outside the warm-up (a separate process
   * starts with one).
   */
  int resourcesOfItsOwn();

  /** Live heap and RSS with all resources Ready. */
  MemoryFigures.AtReady memoryAtReady();

  /**
   * Stops it and completes the memory figures: some are measured with it gone, some only while it
   * runs.
   */
  MemoryFigures stopAndMeasure(MemoryFigures.AtReady atReady, ProcessMemory follower);

  /** Stops it, if still running, and lets go of it. */
  @Override
  void close();
}
