package io.cloudelements.operator.simulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A fault rule queued with {@link CloudElementsSimulator#inject(Fault)}. It matches requests by method and by a prefix
 * of the path relative to {@code /elements/api-v2} (without query), and is applied to the next {@link #times()}
 * matching requests (default 1). Instances are immutable: {@link #on} and {@link #times} return copies.
 */
public final class Fault {

  /** What a fault does. */
  public enum Kind {
    /** Answers {@link #statusCode()} with a JSON error body, without processing. */
    STATUS,
    /** Answers 429 with {@code Retry-After: }{@link #retryAfterSeconds()}, without processing. */
    RATE_LIMITED,
    /** Sleeps {@link #delay()} and then processes the request normally. */
    DELAY,
    /** Processes the request, then closes the connection without sending a single byte of response. */
    DROP_AFTER_PROCESSING,
    /** Closes the connection without processing and without sending a single byte of response. */
    RESET_BEFORE_PROCESSING
  }

  private final Kind kind;
  private final int statusCode;
  private final int retryAfterSeconds;
  private final Duration delay;
  private final String method;
  private final String pathPrefix;
  private final int times;

  private Fault(Kind kind, int statusCode, int retryAfterSeconds, Duration delay, String method, String pathPrefix,
      int times) {
    this.kind = kind;
    this.statusCode = statusCode;
    this.retryAfterSeconds = retryAfterSeconds;
    this.delay = delay;
    this.method = method;
    this.pathPrefix = pathPrefix;
    this.times = times;
  }

  private static Fault of(Kind kind, int statusCode, int retryAfterSeconds, Duration delay) {
    return new Fault(kind, statusCode, retryAfterSeconds, delay, null, null, 1);
  }

  /** Answers {@code code} (400..599) with a JSON error body, before processing (no state change). */
  public static Fault status(int code) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("a status fault needs an error status (400..599), got " + code);
    }
    return of(Kind.STATUS, code, 0, Duration.ZERO);
  }

  /** Answers 429 with the header {@code Retry-After: retryAfterSeconds}, before processing. */
  public static Fault rateLimited(int retryAfterSeconds) {
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must not be negative");
    }
    return of(Kind.RATE_LIMITED, 429, retryAfterSeconds, Duration.ZERO);
  }

  /** Sleeps {@code d} before processing the request (use it to trigger client timeouts). */
  public static Fault delay(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    return of(Kind.DELAY, 0, 0, d);
  }

  /** Processes the request (a POST creates the instance), then closes the connection without any response. */
  public static Fault dropAfterProcessing() {
    return of(Kind.DROP_AFTER_PROCESSING, 0, 0, Duration.ZERO);
  }

  /** Closes the connection without processing the request and without any response. */
  public static Fault resetBeforeProcessing() {
    return of(Kind.RESET_BEFORE_PROCESSING, 0, 0, Duration.ZERO);
  }

  /**
   * Restricts the rule to a method ({@code null} or {@code "*"}: any) and a path prefix relative to
   * {@code /elements/api-v2} ({@code null}: any), e.g. {@code on("POST", "/instances")}.
   */
  public Fault on(String method, String pathPrefix) {
    String m = method == null || method.equals("*") ? null : method.toUpperCase(Locale.ROOT);
    if (pathPrefix != null && !pathPrefix.startsWith("/")) {
      throw new IllegalArgumentException("pathPrefix must start with '/', e.g. \"/instances\"");
    }
    return new Fault(kind, statusCode, retryAfterSeconds, delay, m, pathPrefix, times);
  }

  /** Applies the rule to the next {@code n} matching requests (n >= 1). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return new Fault(kind, statusCode, retryAfterSeconds, delay, method, pathPrefix, n);
  }

  boolean matches(String requestMethod, String path) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && (pathPrefix == null || path.startsWith(pathPrefix));
  }

  public Kind kind() {
    return kind;
  }

  /** The status answered by {@link Kind#STATUS} and {@link Kind#RATE_LIMITED} faults, 0 otherwise. */
  public int statusCode() {
    return statusCode;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Duration delay() {
    return delay;
  }

  /** The method matched, or {@code null} for any. */
  public String method() {
    return method;
  }

  /** The path prefix matched, or {@code null} for any. */
  public String pathPrefix() {
    return pathPrefix;
  }

  public int times() {
    return times;
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case STATUS -> "status " + statusCode;
      case RATE_LIMITED -> "429 Retry-After " + retryAfterSeconds;
      case DELAY -> "delay " + delay;
      case DROP_AFTER_PROCESSING -> "drop after processing";
      case RESET_BEFORE_PROCESSING -> "reset before processing";
    };
    return "Fault[" + what + " on " + (method == null ? "*" : method) + " " + (pathPrefix == null ? "*" : pathPrefix)
        + " x" + times + "]";
  }
}
