package io.cloudelements.operator.runtime;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica may reconcile: always when leader election is off, else while it holds the
 * Lease.
 *
 * <p>JOSDK 5.3.2 keeps processing events after it loses the Lease when built with {@code
 * LeaderElectionConfigurationBuilder.build()}, so a lost Lease calls {@code onLostLeadership} (the
 * jar's {@code run} command exits with code 1 there and Kubernetes restarts the pod as a standby).
 * The Lease given up because this process is stopping is not a loss.
 */
public final class Leadership {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final boolean enabled;
  private final String identity;
  private final Runnable onLostLeadership;
  private volatile boolean leader;
  private volatile boolean stopping;
  private volatile String currentLeader;

  private Leadership(boolean enabled, String identity, Runnable onLostLeadership) {
    this.enabled = enabled;
    this.identity = identity;
    this.onLostLeadership = Objects.requireNonNull(onLostLeadership);
  }

  /** Leader election is off: this replica always reconciles. */
  public static Leadership disabled() {
    return new Leadership(false, null, () -> {});
  }

  public static Leadership elected(String identity, Runnable onLostLeadership) {
    return new Leadership(true, identity, onLostLeadership);
  }

  public boolean enabled() {
    return enabled;
  }

  /** This replica's identity in the Lease; null when leader election is off. */
  public String identity() {
    return identity;
  }

  /** True while this replica holds the Lease, or always when leader election is off. */
  public boolean mayReconcile() {
    return !enabled || leader;
  }

  /** The holder of the Lease as last observed, if any. */
  public String currentLeader() {
    return currentLeader;
  }

  /** From now on, giving up the Lease is expected (the process is stopping). */
  void stopping() {
    stopping = true;
  }

  /** The callbacks for JOSDK's {@code LeaderElectionConfiguration}. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader);
  }

  private void startedLeading() {
    leader = true;
    LOG.info("This replica ({}) holds the Lease and starts reconciling", identity);
  }

  private void stoppedLeading() {
    leader = false;
    if (stopping) {
      LOG.info("Gave up the Lease on shutdown");
      return;
    }
    LOG.error("This replica ({}) lost the Lease; it stops reconciling", identity);
    onLostLeadership.run();
  }

  private void newLeader(String id) {
    currentLeader = id;
    if (!Objects.equals(id, identity)) {
      LOG.info("The Lease is held by {}; this replica ({}) stands by", id, identity);
    }
  }
}
