package io.cloudelements.operator.testing;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secret values handed to the operator in tests: each is unique and starts with {@code
 * canary-}, so that a leak scan can look for every one of them in logs, Events, status and metrics.
 */
public final class Canaries {

  /** The account's user secret; the simulator accepts it. */
  public static final String USER_SECRET = fresh("user");

  /** The account's organization secret; the simulator accepts it. */
  public static final String ORG_SECRET = fresh("org");

  private final List<String> issued = new CopyOnWriteArrayList<>(List.of(USER_SECRET, ORG_SECRET));

  /** A unique value, not remembered: for a test of the scan itself or of masking. */
  public static String fresh(String what) {
    return "canary-" + what + "-" + UUID.randomUUID();
  }

  /** A unique value, remembered for the leak scan. */
  public String next(String what) {
    String value = fresh(what);
    issued.add(value);
    return value;
  }

  /** Every value handed out so far, the account secrets first. */
  public List<String> all() {
    return List.copyOf(issued);
  }
}
