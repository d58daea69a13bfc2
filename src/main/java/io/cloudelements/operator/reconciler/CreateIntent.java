package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import java.time.Clock;

/**
 * The durable mark that a POST /instances may be in flight for a resource: written to its status
 * (with the reason Creating) and confirmed by the API server before the first POST leaves. A
 * resource with neither an instance id nor this mark, and no unanswered POST in memory, has
 * provably never been posted, so its create POSTs at once without the tag lookup; after a crash
 * between the POST and recording its id, the mark makes the next create look for the instance
 * first. One per reconcile.
 */
final class CreateIntent {

  private final StatusPatcher patcher;
  private final StatusWriter statusWriter;
  private final Clock clock;
  private boolean written;

  CreateIntent(StatusPatcher patcher, StatusWriter statusWriter, Clock clock) {
    this.patcher = patcher;
    this.statusWriter = statusWriter;
    this.clock = clock;
  }

  /**
   * True when an earlier POST for this resource may have created an instance that is not recorded.
   */
  static boolean postMayHaveHappened(Observation seen) {
    return seen.status().getCreateIntent() != null || seen.memory().unansweredPostAt() != null;
  }

  /**
   * Writes the mark, with Creating, and returns once the API server has stored it; the observed
   * resource then holds the stored status, so that the final status write of this reconcile is
   * compared with it.
   */
  void record(Observation seen) {
    CampaignMonitorInstance cr = seen.cr();
    seen.status().setCreateIntent(clock.instant().toString());
    statusWriter.apply(
        cr,
        seen.status(),
        new Outcome(ReadyReason.CREATING, "Creating the instance in Cloud Elements"));
    CampaignMonitorInstance stored = patcher.patch(cr, Observation.copyOf(seen.status()));
    cr.setStatus(Observation.copyOf(seen.status()));
    if (stored != null && stored.getMetadata() != null) {
      cr.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    }
    written = true;
  }

  /**
   * True when this reconcile wrote the mark: its final status write must then start from the stored
   * status.
   */
  boolean written() {
    return written;
  }

  /**
   * The mark goes once an id is recorded in the status (by the create, or by a sync that found the
   * id in the output Secret), or when a POST was refused with a definite answer (nothing created).
   */
  static void clear(Observation seen) {
    seen.status().setCreateIntent(null);
  }
}
