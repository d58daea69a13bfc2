package io.cloudelements.operator.simulator;

import java.time.Instant;
import java.util.List;

/**
 * One request as the simulator received it.
 *
 * @param method the HTTP method, upper case
 * @param path the path relative to {@code /elements/api-v2} (for example {@code /instances/1000}),
 *     or the full path when the request was outside the API base path
 * @param query the raw (still URL-encoded) query string or {@code null}; the values of sensitive
 *     parameters ({@code apiKey}, {@code apiSecret}, {@code code}) are replaced by {@code ********}
 * @param status the status answered, or 0 when no answer was sent (connection dropped or reset, or
 *     the request is still being processed)
 * @param at arrival time
 * @param tags the tags the request carried: the {@code tags} array of its JSON body, or the {@code
 *     tags[]} query parameters of a tag search; empty when none (tags are not secret)
 */
public record RecordedRequest(
    String method, String path, String query, int status, Instant at, List<String> tags) {

  public RecordedRequest {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A request without tags. */
  public RecordedRequest(String method, String path, String query, int status, Instant at) {
    this(method, path, query, status, at, List.of());
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (query == null ? "" : "?" + query)
        + " -> "
        + (status == 0 ? "no answer" : status)
        + " at "
        + at;
  }
}
