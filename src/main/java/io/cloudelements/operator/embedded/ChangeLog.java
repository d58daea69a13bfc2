package io.cloudelements.operator.embedded;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The latest changes to the stored objects, in order, so that a plain-HTTP watch (kubectl's) can be
 * answered from a resource version on: what was added, modified or deleted since. Bounded; a watch
 * from before the oldest change kept gets 410 Gone and lists again, as with a real API server.
 */
final class ChangeLog {

  enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  /** One change; {@code object} is the object's JSON after it, or before it for a deletion. */
  record Change(long resourceVersion, Type type, String object) {}

  private final int capacity;
  private final Deque<Change> changes = new ArrayDeque<>();
  private long forgottenUpTo;

  ChangeLog(int capacity) {
    this.capacity = capacity;
  }

  synchronized void record(Change change) {
    changes.addLast(change);
    while (changes.size() > capacity) {
      forgottenUpTo = changes.removeFirst().resourceVersion();
    }
  }

  /** The changes after this resource version, or null when some of them are no longer kept. */
  synchronized List<Change> since(long resourceVersion) {
    if (resourceVersion < forgottenUpTo) {
      return null;
    }
    List<Change> after = new ArrayList<>();
    for (Change change : changes) {
      if (change.resourceVersion() > resourceVersion) {
        after.add(change);
      }
    }
    return after;
  }
}
