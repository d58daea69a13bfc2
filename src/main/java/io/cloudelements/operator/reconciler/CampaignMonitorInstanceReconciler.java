package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.consent.ConsentStarter;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Campaign Monitor element instance per resource, in four steps: observe (the status, the
 * output Secret and memory), validate (the referenced Secrets), act (create, adopt, sync or delete
 * the remote instance) and write status (only when it changed). See docs/architecture.md.
 */
@ControllerConfiguration(
    name = CampaignMonitorInstanceReconciler.NAME,
    finalizerName = CampaignMonitorInstanceReconciler.FINALIZER,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = MetadataChangeFilter.class))
public class CampaignMonitorInstanceReconciler
    implements Reconciler<CampaignMonitorInstance>, Cleaner<CampaignMonitorInstance> {

  public static final String NAME = "campaignmonitorinstance";
  public static final String FINALIZER = "cloudelements.io/finalizer";
  private static final Logger LOG =
      LoggerFactory.getLogger(CampaignMonitorInstanceReconciler.class);

  private final ReconcilerParts parts;

  /**
   * @param consent starts the consents of resources that obtain their OAuth code through the
   *     operator
   * @param unansweredPostSettle how long after a POST that got no answer the next POST waits (the
   *     first may still take effect); twice the request timeout is a good value
   */
  public CampaignMonitorInstanceReconciler(
      CloudElementsClient cloudElements,
      ConsentStarter consent,
      Backoff backoff,
      EventPublisher events,
      Clock clock,
      Duration resyncInterval,
      Duration unansweredPostSettle) {
    this(
        ReconcilerParts.of(
            cloudElements,
            consent,
            backoff,
            events,
            clock,
            resyncInterval,
            unansweredPostSettle,
            InformerSecretStore::new));
  }

  /** Tests pass parts with fake Secrets. */
  CampaignMonitorInstanceReconciler(ReconcilerParts parts) {
    this.parts = parts;
  }

  @Override
  public List<EventSource<?, CampaignMonitorInstance>> prepareEventSources(
      EventSourceContext<CampaignMonitorInstance> context) {
    return List.of(SecretWatch.prepare(context));
  }

  @Override
  public UpdateControl<CampaignMonitorInstance> reconcile(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    Observation seen = observe(cr, context);
    Validation validation = Validation.of(seen);
    CreateIntent intent =
        new CreateIntent(StatusPatcher.of(context), parts.statusWriter(), parts.clock());
    Decision decision =
        validation instanceof Validation.Valid valid
            ? act(seen, valid.inputs(), context, intent)
            : ((Validation.Blocked) validation).decision();
    UpdateControl<CampaignMonitorInstance> control =
        parts.statusWriter().write(seen, decision, intent, context);
    return parts.nextReconcile().schedule(control, decision.next(), seen.memory());
  }

  @Override
  public DeleteControl cleanup(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    Observation seen = observe(cr, context);
    if (seen.memory().cleanupFinishedAt() != null) {
      LOG.debug("Cleanup already finished with the remote instance; only the finalizer is left");
      parts.credentials().releaseAfterCleanup(seen, context);
      return DeleteControl.defaultDelete();
    }
    Optional<Decision> pending = parts.deletion().delete(seen);
    if (pending.isEmpty()) {
      parts.memories().cleanupFinished(cr, parts.clock().instant());
      parts.credentials().releaseAfterCleanup(seen, context);
      return DeleteControl.defaultDelete();
    }
    parts.statusWriter().patch(seen, pending.get(), context);
    return parts
        .nextReconcile()
        .schedule(DeleteControl.noFinalizerRemoval(), pending.get().next(), seen.memory());
  }

  /** An unexpected failure: shown as Creating, retried by JOSDK. */
  @Override
  public ErrorStatusUpdateControl<CampaignMonitorInstance> updateErrorStatus(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context, Exception e) {
    return parts.statusWriter().writeError(cr, e);
  }

  /** How many resources the operator keeps something in memory about. */
  int remembered() {
    return parts.memories().size();
  }

  /** Step 1: the status, the output Secret and what is remembered, without any call. */
  private Observation observe(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    parts.memories().forgetGone(context.getPrimaryCache(), parts.clock().instant());
    return Observation.of(cr, parts.secretStores().apply(cr, context), parts.memories().of(cr));
  }

  /**
   * Step 3, on inputs that passed validation (step 2): the credentials Secret is held from now on.
   */
  private Decision act(
      Observation seen,
      ResolvedInputs inputs,
      Context<CampaignMonitorInstance> context,
      CreateIntent intent) {
    parts.credentials().hold(seen, context);
    return parts.actions().act(seen, inputs, intent);
  }
}
