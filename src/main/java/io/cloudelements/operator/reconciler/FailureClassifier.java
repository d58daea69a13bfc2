package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.cloudelements.CloudElementsException;

/** Maps a failed Cloud Elements call to a condition reason. */
public final class FailureClassifier {

  private FailureClassifier() {
  }

  public static String reason(CloudElementsException e) {
    int status = e.status();
    if (status == 401 || status == 403) {
      return Reasons.CREDENTIALS_REJECTED;
    }
    if (status == 429) {
      return Reasons.RATE_LIMITED;
    }
    if (status >= 400 && status < 500 && status != 404 && status != 408 && status != 409) {
      return Reasons.REQUEST_REJECTED;
    }
    return Reasons.UPSTREAM_UNAVAILABLE;
  }

  /** True when the API definitely refused a request, so an OAuth code sent with it should count as used. */
  public static boolean isRejection(CloudElementsException e) {
    return Reasons.REQUEST_REJECTED.equals(reason(e)) || Reasons.CREDENTIALS_REJECTED.equals(reason(e));
  }

  public static Outcome outcome(CloudElementsException e) {
    String reason = reason(e);
    String advice = switch (reason) {
      case Reasons.CREDENTIALS_REJECTED -> "; check userSecret and organizationSecret in the credentials Secret";
      case Reasons.RATE_LIMITED, Reasons.UPSTREAM_UNAVAILABLE -> "; retrying with backoff";
      default -> "";
    };
    return new Outcome(reason, "Cloud Elements " + e.getMessage() + advice);
  }
}
