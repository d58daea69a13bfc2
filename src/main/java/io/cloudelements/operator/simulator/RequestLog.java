package io.cloudelements.operator.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every request the simulator received, in arrival order, with secret query values masked. */
final class RequestLog {

  private final Object lock = new Object();
  private final List<LogEntry> entries = new ArrayList<>();

  LogEntry record(String requestId, String method, String path, String maskedQuery) {
    LogEntry entry = new LogEntry(requestId, method, path, maskedQuery, Instant.now());
    synchronized (lock) {
      entries.add(entry);
    }
    return entry;
  }

  List<RecordedRequest> requests() {
    synchronized (lock) {
      return entries.stream().map(LogEntry::toRecord).toList();
    }
  }

  long count(String method, String pathPrefix) {
    String prefix = pathPrefix == null ? "" : pathPrefix;
    synchronized (lock) {
      return entries.stream()
          .filter(e -> method == null || e.method.equalsIgnoreCase(method))
          .filter(e -> e.path.startsWith(prefix))
          .count();
    }
  }

  void clear() {
    synchronized (lock) {
      entries.clear();
    }
  }
}
