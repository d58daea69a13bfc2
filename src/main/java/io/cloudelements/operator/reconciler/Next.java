package io.cloudelements.operator.reconciler;

import java.time.Duration;
import java.time.Instant;

/** What should happen after a reconcile; {@link NextReconcile} turns it into a delay. */
sealed interface Next
    permits Next.Resync, Next.RetryAfter, Next.CheckAt, Next.ConsentExpires, Next.WaitForEvent {

  /** The instance was just read back or created: check it again after the resync interval. */
  record Resync() implements Next {}

  /**
   * A transient failure: retry with backoff, but not before {@code atLeast} (the API's Retry-After;
   * may be null).
   */
  record RetryAfter(Duration atLeast) implements Next {}

  /** Nothing was called because the instance was checked recently: check it at {@code at}. */
  record CheckAt(Instant at) implements Next {}

  /**
   * A consent is open: the callback's Secret or status change brings the next event, else its
   * expiry at {@code at}.
   */
  record ConsentExpires(java.time.Instant at) implements Next {}

  /** Nothing to do until the resource or a Secret changes. */
  record WaitForEvent() implements Next {}
}
