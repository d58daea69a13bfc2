package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.consent.ConsentStarter;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Keeps one Campaign Monitor element instance per resource, in four steps: observe (the status, the
 * output Secret and memory), validate (the referenced Secrets), act (create, adopt, sync or delete
 * the remote instance) and write status (only when it changed). See docs/architecture.md.
 *
 * <p>JOSDK calls it for every event, deletion included, and leaves the finalizer to it: the
 * finalizer goes on before anything remote or shared is touched, in the same patch as the intent of
 * a first create (one write instead of two, and no reconcile of its own), and comes off when the
 * cleanup is done.
 */
@ControllerConfiguration(
    name = CampaignMonitorInstanceReconciler.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = MetadataChangeFilter.class))
public class CampaignMonitorInstanceReconciler implements Reconciler<CampaignMonitorInstance> {

  public static final String NAME = "campaignmonitorinstance";
  public static final String FINALIZER = "cloudelements.io/finalizer";

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
    if (context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown()) {
      // A resource that only waited had no finalizer and no cleanup, yet kept the Secret in use.
      parts.credentials().releaseAfterCleanup(observe(cr, context), context);
      parts.memories().forget(cr);
      return UpdateControl.noUpdate();
    }
    if (cr.isMarkedForDeletion()) {
      return cr.hasFinalizer(FINALIZER)
          ? parts.cleanup().run(observe(cr, context), context)
          : UpdateControl.noUpdate();
    }
    Observation seen = observe(cr, context);
    Validation validation = Validation.of(seen);
    CreateIntent intent = new CreateIntent(MetadataPatcher.of(context), parts.clock());
    Decision decision =
        validation instanceof Validation.Valid valid
            ? act(seen, valid.inputs(), context, intent)
            : blocked(seen, ((Validation.Blocked) validation).decision(), intent);
    UpdateControl<CampaignMonitorInstance> control =
        parts.statusWriter().write(seen, decision, intent, context);
    return parts.nextReconcile().schedule(control, decision.next(), seen.memory());
  }

  /**
   * An unexpected failure: shown as Creating, retried by JOSDK; during a deletion (removing the
   * finalizer failed, say) only retried.
   */
  @Override
  public ErrorStatusUpdateControl<CampaignMonitorInstance> updateErrorStatus(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context, Exception e) {
    return cr.isMarkedForDeletion()
        ? ErrorStatusUpdateControl.defaultErrorProcessing()
        : parts.statusWriter().writeError(cr, e);
  }

  /** How many resources the operator keeps something in memory about. */
  int remembered() {
    return parts.memories().size();
  }

  /** Step 1: the status, the output Secret and what is remembered, without any call. */
  private Observation observe(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    return Observation.of(cr, parts.secretStores().apply(cr, context), parts.memories().of(cr));
  }

  /**
   * Step 3, on inputs that passed validation (step 2): the finalizer first (with the intent of a
   * create that posts at once), then the credentials Secret is held.
   */
  private Decision act(
      Observation seen,
      ResolvedInputs inputs,
      Context<CampaignMonitorInstance> context,
      CreateIntent intent) {
    intent.secure(seen, RemoteCreation.postsAtOnce(seen, inputs));
    parts.credentials().hold(seen, context);
    return parts.actions().act(seen, inputs, intent);
  }

  /**
   * A resource that only waits needs no finalizer yet (nothing remote or shared was touched for
   * it), unless it stands, or may stand, for an instance whose deletion it must then wait for.
   */
  private static Decision blocked(Observation seen, Decision decision, CreateIntent intent) {
    if (seen.recordedId().isPresent() || CreateIntent.postMayHaveHappened(seen)) {
      intent.secure(seen, false);
    }
    return decision;
  }
}
