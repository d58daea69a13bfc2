package io.cloudelements.operator.bench;

import java.time.Duration;
import java.time.Instant;

/** The operator being measured: in the bench's process ({@link InProcessOperator}) or a process of its own. */
interface OperatorUnderTest extends AutoCloseable {

  /** Starts it; returns once it is up. */
  void start() throws InterruptedException;

  /** What its start-up figures count from: the JVM's start in process, the process's start otherwise. */
  Instant origin();

  /** From {@link #origin()} until it was up. */
  Duration toStarted();

  /** Its process id, or -1 when it runs in this process. */
  long pid();

  /** CPU time of its own process, or -1 when it shares this process. */
  long cpuNanos();

  /** Resources it created Ready before the measured ones, outside the warm-up (a separate process starts with one). */
  int resourcesOfItsOwn();

  /** Live heap and RSS with all resources Ready. */
  MemoryFigures.AtReady memoryAtReady();

  /** Stops it and completes the memory figures: some are measured with it gone, some only while it runs. */
  MemoryFigures stopAndMeasure(MemoryFigures.AtReady atReady, ProcessMemory follower);

  /** Stops it, if still running, and lets go of it. */
  @Override
  void close();
}
