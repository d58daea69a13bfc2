package io.cloudelements.operator.simulator;

import java.time.Instant;
import java.util.List;

/**
 * One line of the {@link RequestLog}; the status and tags are filled in while the request is
 * handled.
 */
final class LogEntry {

  final String requestId;
  final String method;
  final String path;
  final String query;
  final Instant at;
  volatile int status;
  volatile List<String> tags = List.of();

  LogEntry(String requestId, String method, String path, String query, Instant at) {
    this.requestId = requestId;
    this.method = method;
    this.path = path;
    this.query = query;
    this.at = at;
  }

  RecordedRequest toRecord() {
    return new RecordedRequest(method, path, query, status, at, tags);
  }
}
