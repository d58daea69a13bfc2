package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.cloudelements.CloudElementsException;

/** Maps a failed Cloud Elements call to a condition reason. */
public final class FailureClassifier {

  private FailureClassifier() {}

  public static ReadyReason reason(CloudElementsException e) {
    int status = e.status();
    if (status == 401 || status == 403) {
      return ReadyReason.CREDENTIALS_REJECTED;
    }
    if (status == 429) {
      return ReadyReason.RATE_LIMITED;
    }
    if (status >= 400 && status < 500 && status != 404 && status != 408 && status != 409) {
      return ReadyReason.REQUEST_REJECTED;
    }
    return ReadyReason.UPSTREAM_UNAVAILABLE;
  }

  /**
   * True when the API definitely refused a request, so an OAuth code sent with it should count as
   * used.
   */
  public static boolean isRejection(CloudElementsException e) {
    ReadyReason reason = reason(e);
    return reason == ReadyReason.REQUEST_REJECTED || reason == ReadyReason.CREDENTIALS_REJECTED;
  }

  public static Outcome outcome(CloudElementsException e) {
    ReadyReason reason = reason(e);
    String advice =
        switch (reason) {
          case CREDENTIALS_REJECTED ->
              "; check userSecret and organizationSecret in the credentials Secret";
          case RATE_LIMITED, UPSTREAM_UNAVAILABLE -> "; retrying with backoff";
          default -> "";
        };
    return new Outcome(reason, "Cloud Elements " + e.getMessage() + advice);
  }
}
