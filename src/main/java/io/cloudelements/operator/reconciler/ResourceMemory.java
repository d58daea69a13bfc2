package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.AuthorizationStatus;
import java.time.Instant;

/**
 * What the operator keeps in memory, and nowhere else, about one resource. JOSDK never reconciles
 * one resource on two threads at once, so the fields need only be visible across threads.
 */
final class ResourceMemory {

  /** Failed attempts in a row, for the backoff. */
  private volatile int failedAttempts;

  /** When the instance was last created or read back; null when unknown. */
  private volatile Instant verifiedAt;

  /** When the last POST got no answer (it may still take effect); null when none. */
  private volatile Instant unansweredPostAt;

  /** The fingerprint of the code the last successful POST used; null when none. */
  private volatile String postedCode;

  /**
   * The consent this process started last, until its code is used: a reconcile that runs on a
   * cached resource from before that status write keeps it instead of starting another.
   */
  private volatile StartedConsent startedConsent;

  /** A consent as published, with the restart-consent value it handled. */
  record StartedConsent(AuthorizationStatus authorization, String restartHandled) {}

  /**
   * When cleanup finished with the remote instance (deleted it or left it in place); null while
   * not. Cleanup runs again when removing the finalizer fails, and that run must not send a second
   * DELETE.
   */
  private volatile Instant cleanupFinishedAt;

  int countFailure() {
    return ++failedAttempts;
  }

  void resetFailures() {
    failedAttempts = 0;
  }

  Instant verifiedAt() {
    return verifiedAt;
  }

  void verified(Instant at) {
    verifiedAt = at;
  }

  Instant unansweredPostAt() {
    return unansweredPostAt;
  }

  void unansweredPost(Instant at) {
    unansweredPostAt = at;
  }

  String postedCode() {
    return postedCode;
  }

  void posted(String codeFingerprint) {
    postedCode = codeFingerprint;
  }

  StartedConsent startedConsent() {
    return startedConsent;
  }

  void startedConsent(StartedConsent consent) {
    startedConsent = consent;
  }

  Instant cleanupFinishedAt() {
    return cleanupFinishedAt;
  }

  void cleanupFinished(Instant at) {
    cleanupFinishedAt = at;
  }
}
