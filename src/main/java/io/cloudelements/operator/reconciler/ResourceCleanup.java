package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanup of a resource marked for deletion that carries the operator's finalizer: delete or
 * leave the remote instance ({@link RemoteDeletion}), release the credentials Secret, then remove
 * the finalizer. A finished remote part is remembered, so a cleanup that runs again because
 * removing the finalizer failed sends no second DELETE.
 */
final class ResourceCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceCleanup.class);

  private final RemoteDeletion deletion;
  private final ResourceMemories memories;
  private final CredentialsGuard credentials;
  private final StatusWriter statusWriter;
  private final NextReconcile nextReconcile;
  private final Clock clock;

  ResourceCleanup(
      RemoteDeletion deletion,
      ResourceMemories memories,
      CredentialsGuard credentials,
      StatusWriter statusWriter,
      NextReconcile nextReconcile,
      Clock clock) {
    this.deletion = deletion;
    this.memories = memories;
    this.credentials = credentials;
    this.statusWriter = statusWriter;
    this.nextReconcile = nextReconcile;
    this.clock = clock;
  }

  UpdateControl<CampaignMonitorInstance> run(
      Observation seen, Context<CampaignMonitorInstance> context) {
    if (seen.memory().cleanupFinishedAt() != null) {
      LOG.debug("Cleanup already finished with the remote instance; only the finalizer is left");
    } else {
      Optional<Decision> pending = deletion.delete(seen);
      if (pending.isPresent()) {
        statusWriter.patch(seen, pending.get(), context);
        return nextReconcile.schedule(
            UpdateControl.noUpdate(), pending.get().next(), seen.memory());
      }
      memories.cleanupFinished(seen.cr(), clock.instant());
    }
    credentials.releaseAfterCleanup(seen, context);
    MetadataPatcher.of(context)
        .patch(
            seen.cr(),
            c -> {
              c.removeFinalizer(CampaignMonitorInstanceReconciler.FINALIZER);
              return c;
            });
    return UpdateControl.noUpdate();
  }
}
