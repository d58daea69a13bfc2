package io.cloudelements.operator.simulator;

import java.time.Duration;

/**
 * A handle on the requests held by a {@link Fault#holdBeforeProcessing(Hold)} or {@link
 * Fault#holdAfterProcessing(Hold)} rule: a test waits until a request is held ({@link #awaitHeld}),
 * does what it must at that very moment (for example kills the client process), then lets the
 * request go on ({@link #release()}) or closes its connection without an answer ({@link #drop()}).
 * Once decided, later requests matched by the same rule pass on at once with that decision. Closing
 * the simulator ends every hold (the connection is closed without an answer).
 */
public final class Hold {

  /** What happens to a held request. */
  enum Decision {
    RELEASE,
    DROP
  }

  private final Object lock = new Object();
  private int arrivals;
  private Decision decision;

  /** How many requests reached this hold so far. */
  public int arrivals() {
    synchronized (lock) {
      return arrivals;
    }
  }

  /** True while at least one request arrived and no decision was taken yet. */
  public boolean isHolding() {
    synchronized (lock) {
      return arrivals > 0 && decision == null;
    }
  }

  /** Waits until a request is held; false if none arrived within {@code timeout}. */
  public boolean awaitHeld(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (arrivals == 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Lets the held requests go on: processed (if not yet) and answered; a gone client just misses
   * the answer.
   */
  public void release() {
    decide(Decision.RELEASE);
  }

  /**
   * Closes the held connections without a byte of answer. A request held before processing is then
   * never processed; one held after processing keeps its effect.
   */
  public void drop() {
    decide(Decision.DROP);
  }

  private void decide(Decision d) {
    synchronized (lock) {
      if (decision == null) {
        decision = d;
      }
      lock.notifyAll();
    }
  }

  /** Called by the simulator's handler thread: blocks until decided. */
  Decision await() throws InterruptedException {
    synchronized (lock) {
      arrivals++;
      lock.notifyAll();
      while (decision == null) {
        lock.wait();
      }
      return decision;
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Hold[arrivals="
          + arrivals
          + ", decision="
          + (decision == null ? "pending" : decision)
          + "]";
    }
  }
}
