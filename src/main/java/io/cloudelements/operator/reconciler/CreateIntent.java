package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The durable mark that a POST /instances may be in flight for a resource: the annotation {@value
 * #ANNOTATION} with the attempt time, written in one metadata patch together with the operator's
 * finalizer and confirmed by the API server before the POST leaves. A resource with neither an
 * instance id nor this mark, and no unanswered POST in memory, has provably never been posted, so
 * its create POSTs at once without the tag lookup; after a crash between the POST and recording its
 * id, the mark makes the next create look for the instance first.
 *
 * <p>The mark stays after the id is recorded (removing it would cost a write): it only counts while
 * no instance is recorded. {@code status.createIntent}, where versions before the annotation kept
 * the mark, is still read as one and cleared when the id is recorded. One per reconcile.
 */
final class CreateIntent {

  static final String ANNOTATION = "cloudelements.io/create-pending";

  private final MetadataPatcher patcher;
  private final Clock clock;
  private boolean written;
  private boolean fresh;
  private boolean marked;

  CreateIntent(MetadataPatcher patcher, Clock clock) {
    this.patcher = patcher;
    this.clock = clock;
  }

  /** True when the resource carries a mark, from this version or from an earlier one. */
  static boolean present(Observation seen) {
    return annotation(seen.cr()) != null || seen.status().getCreateIntent() != null;
  }

  /**
   * True when an earlier POST for this resource may have created an instance that is not recorded.
   */
  static boolean postMayHaveHappened(Observation seen) {
    return present(seen) || seen.memory().unansweredPostAt() != null;
  }

  /**
   * Puts the finalizer on the resource if it lacks it and, with {@code withIntent}, a new mark, in
   * one patch; writes nothing when neither is needed. Returns once the API server has stored it;
   * the observed resource then holds the stored metadata and resource version.
   */
  void secure(Observation seen, boolean withIntent) {
    boolean finalizer = !seen.cr().hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER);
    if (!finalizer && !withIntent) {
      return;
    }
    String at = withIntent ? clock.instant().toString() : null;
    store(
        seen.cr(),
        c -> {
          if (!c.hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER)) {
            List<String> finalizers =
                c.getMetadata().getFinalizers() == null
                    ? new ArrayList<>()
                    : new ArrayList<>(c.getMetadata().getFinalizers());
            finalizers.add(CampaignMonitorInstanceReconciler.FINALIZER);
            c.getMetadata().setFinalizers(finalizers);
          }
          if (at != null) {
            Map<String, String> annotations = annotationsCopy(c);
            annotations.put(ANNOTATION, at);
            c.getMetadata().setAnnotations(annotations);
          }
          return c;
        });
    fresh |= withIntent;
    marked |= withIntent;
  }

  /** A new mark (with the finalizer, if missing) before a POST. */
  void record(Observation seen) {
    secure(seen, true);
  }

  /**
   * After a POST was refused with a definite answer nothing was created: the mark goes, so that the
   * next attempt posts without a lookup and a refused resource never loops on lookups.
   */
  void withdraw(Observation seen) {
    clearLegacy(seen);
    if (annotation(seen.cr()) != null) {
      store(
          seen.cr(),
          c -> {
            Map<String, String> annotations = annotationsCopy(c);
            annotations.remove(ANNOTATION);
            c.getMetadata().setAnnotations(annotations);
            return c;
          });
    }
  }

  /**
   * True when the mark on the resource can only stand for POSTs that have settled: this reconcile
   * wrote it, or it was written before {@code settledBy}. A younger mark from an earlier process
   * (which may have crashed with its POST unanswered) must stay, even after a refused POST: that
   * first POST may still create the instance.
   */
  boolean settled(Observation seen, Instant settledBy) {
    if (marked) {
      return true;
    }
    String at =
        annotation(seen.cr()) != null ? annotation(seen.cr()) : seen.status().getCreateIntent();
    try {
      return at == null || Instant.parse(at).isBefore(settledBy);
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  /**
   * True when this reconcile wrote the mark of a create that was known to post at once, and that
   * POST has not left yet: it needs no lookup.
   */
  boolean fresh() {
    return fresh;
  }

  /** The POST leaves now: from here on it may have created an instance that is not recorded. */
  void posting() {
    fresh = false;
  }

  /**
   * True when this reconcile wrote the resource's metadata: its final status write must then start
   * from the stored resource.
   */
  boolean written() {
    return written;
  }

  /** The mark of versions before the annotation goes once an id is recorded in the status. */
  static void clearLegacy(Observation seen) {
    seen.status().setCreateIntent(null);
  }

  private void store(CampaignMonitorInstance cr, UnaryOperator<CampaignMonitorInstance> change) {
    CampaignMonitorInstance stored = patcher.patch(cr, change);
    ObjectMeta meta = cr.getMetadata();
    meta.setFinalizers(stored.getMetadata().getFinalizers());
    meta.setAnnotations(stored.getMetadata().getAnnotations());
    meta.setResourceVersion(stored.getMetadata().getResourceVersion());
    written = true;
  }

  private static Map<String, String> annotationsCopy(CampaignMonitorInstance cr) {
    Map<String, String> annotations = cr.getMetadata().getAnnotations();
    return annotations == null ? new HashMap<>() : new HashMap<>(annotations);
  }

  private static String annotation(CampaignMonitorInstance cr) {
    Map<String, String> annotations = cr.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }
}
