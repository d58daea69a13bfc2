package io.cloudelements.operator.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A fault rule queued with {@link CloudElementsSimulator#inject(Fault)}. It matches requests by
 * method and by a prefix of the path relative to {@code /elements/api-v2} (without query), and is
 * applied to the next {@link #times()} matching requests (default 1). Instances are immutable:
 * {@link #on} and {@link #times} return copies.
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
    /**
     * Processes the request, then closes the connection without sending a single byte of response.
     */
    DROP_AFTER_PROCESSING,
    /** Closes the connection without processing and without sending a single byte of response. */
    RESET_BEFORE_PROCESSING,
    /**
     * Waits, before processing, until its {@link Hold} is released (then processes and answers) or
     * dropped.
     */
    HOLD_BEFORE_PROCESSING,
    /**
     * Processes the request, then waits until its {@link Hold} is released (then answers) or
     * dropped.
     */
    HOLD_AFTER_PROCESSING
  }

  private final Kind kind;
  private final int statusCode;
  private final int retryAfterSeconds;
  private final Duration delay;
  private final String method;
  private final String pathPrefix;
  private final int times;
  private final Hold hold;
  private final String tag;

  private Fault(
      Kind kind,
      int statusCode,
      int retryAfterSeconds,
      Duration delay,
      String method,
      String pathPrefix,
      int times,
      Hold hold,
      String tag) {
    this.kind = kind;
    this.statusCode = statusCode;
    this.retryAfterSeconds = retryAfterSeconds;
    this.delay = delay;
    this.method = method;
    this.pathPrefix = pathPrefix;
    this.times = times;
    this.hold = hold;
    this.tag = tag;
  }

  private static Fault of(Kind kind, int statusCode, int retryAfterSeconds, Duration delay) {
    return new Fault(kind, statusCode, retryAfterSeconds, delay, null, null, 1, null, null);
  }

  /**
   * Answers {@code code} (400..599) with a JSON error body, before processing (no state change).
   */
  public static Fault status(int code) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException(
          "a status fault needs an error status (400..599), got " + code);
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

  /**
   * Processes the request (a POST creates the instance), then closes the connection without any
   * response.
   */
  public static Fault dropAfterProcessing() {
    return of(Kind.DROP_AFTER_PROCESSING, 0, 0, Duration.ZERO);
  }

  /** Closes the connection without processing the request and without any response. */
  public static Fault resetBeforeProcessing() {
    return of(Kind.RESET_BEFORE_PROCESSING, 0, 0, Duration.ZERO);
  }

  /**
   * Holds the request before processing it until {@code hold} is released (the request is then
   * processed and answered) or dropped (the connection is closed, nothing is processed).
   */
  public static Fault holdBeforeProcessing(Hold hold) {
    Objects.requireNonNull(hold, "hold");
    return new Fault(Kind.HOLD_BEFORE_PROCESSING, 0, 0, Duration.ZERO, null, null, 1, hold, null);
  }

  /**
   * Processes the request (a POST creates the instance, a DELETE deletes it), then holds the answer
   * until {@code hold} is released (answered) or dropped (the connection is closed without an
   * answer). For crash tests: "the API did it, the client never heard".
   */
  public static Fault holdAfterProcessing(Hold hold) {
    Objects.requireNonNull(hold, "hold");
    return new Fault(Kind.HOLD_AFTER_PROCESSING, 0, 0, Duration.ZERO, null, null, 1, hold, null);
  }

  /**
   * Restricts the rule to requests that carry {@code tag}: in the {@code tags} array of a JSON body
   * (POST, PATCH, PUT) or as a {@code tags[]} query parameter (the tag search).
   */
  public Fault withTag(String requiredTag) {
    Objects.requireNonNull(requiredTag, "requiredTag");
    return new Fault(
        kind, statusCode, retryAfterSeconds, delay, method, pathPrefix, times, hold, requiredTag);
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
    return new Fault(kind, statusCode, retryAfterSeconds, delay, m, pathPrefix, times, hold, tag);
  }

  /** Applies the rule to the next {@code n} matching requests (n >= 1). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return new Fault(kind, statusCode, retryAfterSeconds, delay, method, pathPrefix, n, hold, tag);
  }

  boolean matches(String requestMethod, String path) {
    return matches(requestMethod, path, List.of());
  }

  boolean matches(String requestMethod, String path, List<String> requestTags) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && (pathPrefix == null || path.startsWith(pathPrefix))
        && (tag == null || requestTags.contains(tag));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The status answered by {@link Kind#STATUS} and {@link Kind#RATE_LIMITED} faults, 0 otherwise.
   */
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

  /**
   * The hold of a {@link Kind#HOLD_BEFORE_PROCESSING} or {@link Kind#HOLD_AFTER_PROCESSING} rule,
   * else null.
   */
  public Hold hold() {
    return hold;
  }

  /** The tag a request must carry, or {@code null} for any request. */
  public String tag() {
    return tag;
  }

  @Override
  public String toString() {
    String what =
        switch (kind) {
          case STATUS -> "status " + statusCode;
          case RATE_LIMITED -> "429 Retry-After " + retryAfterSeconds;
          case DELAY -> "delay " + delay;
          case DROP_AFTER_PROCESSING -> "drop after processing";
          case RESET_BEFORE_PROCESSING -> "reset before processing";
          case HOLD_BEFORE_PROCESSING -> "hold before processing";
          case HOLD_AFTER_PROCESSING -> "hold after processing";
        };
    return "Fault["
        + what
        + " on "
        + (method == null ? "*" : method)
        + " "
        + (pathPrefix == null ? "*" : pathPrefix)
        + (tag == null ? "" : " tagged " + tag)
        + " x"
        + times
        + "]";
  }
}
