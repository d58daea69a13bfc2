package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.DeletionPolicy;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes (policy Delete) or releases (policy Orphan) the remote instance of a resource being
 * deleted; a paused resource waits. Empty means done: the finalizer may go.
 */
final class RemoteDeletion {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteDeletion.class);

  private final CloudElementsClient cloudElements;
  private final EventPublisher events;
  private final PostSettle postSettle;

  RemoteDeletion(CloudElementsClient cloudElements, EventPublisher events, PostSettle postSettle) {
    this.cloudElements = cloudElements;
    this.events = events;
    this.postSettle = postSettle;
  }

  Optional<Decision> delete(Observation seen) {
    CampaignMonitorInstance cr = seen.cr();
    if (Annotations.isPaused(cr)) {
      return Optional.of(Validation.paused());
    }
    Optional<Secret> output = seen.output().filter(s -> InstanceSecret.isControlledBy(s, cr));
    Optional<Long> id =
        Optional.ofNullable(seen.status().getInstanceId())
            .or(() -> output.flatMap(InstanceSecret::recordedId))
            .or(() -> Optional.ofNullable(cr.getSpec().getInstanceId()));
    String what = id.map(i -> "instance " + i).orElse("the instance");
    if (cr.getSpec().getDeletionPolicy() == DeletionPolicy.Orphan
        || Annotations.skipsRemoteDelete(cr)) {
      output.ifPresent(s -> seen.secrets().update(InstanceSecret.withoutOwner(s, cr)));
      String why =
          Annotations.skipsRemoteDelete(cr)
              ? "annotation " + Annotations.SKIP_REMOTE_DELETE
              : "deletionPolicy Orphan";
      events.normal(
          cr,
          EventReason.ORPHANED,
          "Left "
              + what
              + " in Cloud Elements ("
              + why
              + ")"
              + output.map(s -> "; Secret " + s.getMetadata().getName() + " is kept").orElse(""));
      return Optional.empty();
    }
    AccountCredentials account;
    try {
      account = InputResolver.resolveAccount(cr, seen.secrets());
    } catch (InputResolver.MissingSecretException e) {
      return Optional.of(
          Decision.waitFor(
              ReadyReason.CREDENTIALS_MISSING,
              "Cannot delete "
                  + what
                  + ": "
                  + e.getMessage()
                  + ". Restore the credentials, or set the annotation "
                  + Annotations.SKIP_REMOTE_DELETE
                  + "=\"true\" to finish the deletion and leave the remote instance in place"));
    }
    Optional<Duration> unsettled =
        id.isPresent() ? Optional.empty() : postSettle.left(seen.memory());
    if (unsettled.isPresent()) {
      return Optional.of(
          Decision.retry(
              new Outcome(
                  ReadyReason.DELETING,
                  "The last POST /instances got no answer and may still create the instance;"
                      + " looking for it to delete in "
                      + unsettled.get().toMillis()
                      + " ms"),
              unsettled.get()));
    }
    try {
      List<Long> ids =
          id.map(List::of)
              .orElseGet(
                  () ->
                      cloudElements.findByTag(account, OwnershipTag.of(cr)).stream()
                          .map(RemoteInstance::id)
                          .toList());
      for (long each : ids) {
        boolean existed = cloudElements.delete(account, each);
        LOG.info("Deleted instance {}{}", each, existed ? "" : " (it was already gone)");
        events.normal(
            cr,
            EventReason.DELETED,
            "Deleted instance "
                + each
                + " in Cloud Elements"
                + (existed ? "" : " (it was already gone)"));
      }
      return Optional.empty();
    } catch (CloudElementsException e) {
      Outcome failure = FailureClassifier.outcome(e);
      if (failure.stalled()) {
        return Optional.of(
            Decision.waitFor(
                failure.reason(),
                "Cannot delete "
                    + what
                    + ": "
                    + failure.message()
                    + ". Fix it, or set the annotation "
                    + Annotations.SKIP_REMOTE_DELETE
                    + "=\"true\" to leave it in place"));
      }
      return Optional.of(
          Decision.retry(
              new Outcome(ReadyReason.DELETING, "Deleting " + what + ": " + failure.message()),
              e.retryAfter().orElse(null)));
    }
  }
}
