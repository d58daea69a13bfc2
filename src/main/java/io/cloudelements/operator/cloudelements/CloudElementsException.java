package io.cloudelements.operator.cloudelements;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed Cloud Elements call. The message holds the operation, the HTTP status, the API's own
 * message and its request id; it never holds a request body or a header.
 */
public class CloudElementsException extends RuntimeException {

  /** HTTP status, or 0 when no answer came (I/O error or timeout). */
  private final int status;

  private final String apiMessage;
  private final String requestId;
  private final Duration retryAfter;

  public CloudElementsException(
      String operation, int status, String apiMessage, String requestId, Duration retryAfter) {
    super(describe(operation, status, apiMessage, requestId));
    this.status = status;
    this.apiMessage = apiMessage;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** A call that got no answer. The cause's message is dropped, only its type is kept. */
  public static CloudElementsException noAnswer(String operation, Throwable cause) {
    String what =
        cause instanceof java.net.http.HttpTimeoutException
            ? "timed out"
            : "failed: " + cause.getClass().getSimpleName();
    return new CloudElementsException(operation, 0, what, null, null);
  }

  private static String describe(
      String operation, int status, String apiMessage, String requestId) {
    StringBuilder sb = new StringBuilder(operation);
    if (status == 0) {
      sb.append(' ').append(apiMessage);
    } else {
      sb.append(" answered ").append(status);
      if (apiMessage != null && !apiMessage.isBlank()) {
        sb.append(": ").append(apiMessage);
      }
    }
    if (requestId != null) {
      sb.append(" (requestId ").append(requestId).append(')');
    }
    return sb.toString();
  }

  public int status() {
    return status;
  }

  public Optional<String> apiMessage() {
    return Optional.ofNullable(apiMessage);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public boolean isNotFound() {
    return status == 404;
  }
}
