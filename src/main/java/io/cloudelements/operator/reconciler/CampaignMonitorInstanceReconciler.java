package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.consent.ConsentStarter;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.BaseControl;
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
import java.util.function.BiFunction;
import java.util.function.Function;
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

  private final BiFunction<CampaignMonitorInstance, Context<CampaignMonitorInstance>, SecretStore>
      secretStores;
  private final ResourceMemories memories = new ResourceMemories();
  private final CredentialsGuard credentials = new CredentialsGuard();
  private final RemoteActions actions;
  private final RemoteDeletion deletion;
  private final StatusWriter statusWriter;
  private final NextReconcile nextReconcile;
  private final Clock clock;
  private final Function<Context<CampaignMonitorInstance>, StatusPatcher> statusPatchers =
      context ->
          (cr, status) ->
              context
                  .resourceOperations()
                  .jsonPatchPrimaryStatus(
                      cr,
                      c -> {
                        c.setStatus(status);
                        return c;
                      });

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
        cloudElements,
        consent,
        backoff,
        events,
        clock,
        resyncInterval,
        unansweredPostSettle,
        InformerSecretStore::new);
  }

  /**
   * @param secretStores the Secrets of a resource's namespace during one reconcile; tests pass a
   *     fake
   */
  CampaignMonitorInstanceReconciler(
      CloudElementsClient cloudElements,
      ConsentStarter consent,
      Backoff backoff,
      EventPublisher events,
      Clock clock,
      Duration resyncInterval,
      Duration unansweredPostSettle,
      BiFunction<CampaignMonitorInstance, Context<CampaignMonitorInstance>, SecretStore>
          secretStores) {
    this.secretStores = secretStores;
    Reauthorizer reauthorizer = new Reauthorizer(cloudElements, events);
    ConsentStep consentStep = new ConsentStep(consent, events, clock);
    this.actions =
        new RemoteActions(
            new RemoteCreation(
                cloudElements, events, reauthorizer, consentStep, clock, unansweredPostSettle),
            new RemoteSync(cloudElements, events, reauthorizer, consentStep),
            clock,
            resyncInterval);
    this.deletion = new RemoteDeletion(cloudElements, events);
    this.statusWriter = new StatusWriter(events, clock);
    this.nextReconcile = new NextReconcile(backoff, clock, resyncInterval);
    this.clock = clock;
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
    CreateIntent intent = new CreateIntent(statusPatchers.apply(context), statusWriter, clock);
    Decision decision =
        validation instanceof Validation.Valid valid
            ? act(seen, valid.inputs(), context, intent)
            : ((Validation.Blocked) validation).decision();
    if (intent.written()) {
      // JOSDK would compare the final status with the resource as it was before the intent was
      // stored
      statusWriter.patch(seen, decision, context);
      return schedule(UpdateControl.noUpdate(), seen, decision);
    }
    return schedule(statusWriter.write(seen, decision), seen, decision);
  }

  @Override
  public DeleteControl cleanup(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    Observation seen = observe(cr, context);
    if (seen.memory().cleanupFinishedAt() != null) {
      LOG.debug("Cleanup already finished with the remote instance; only the finalizer is left");
      credentials.releaseAfterCleanup(seen, context);
      return DeleteControl.defaultDelete();
    }
    Optional<Decision> pending =
        Annotations.isPaused(cr) ? Optional.of(Validation.paused()) : deletion.delete(seen);
    if (pending.isEmpty()) {
      memories.cleanupFinished(cr, clock.instant());
      credentials.releaseAfterCleanup(seen, context);
      return DeleteControl.defaultDelete();
    }
    statusWriter.patch(seen, pending.get(), context);
    return schedule(DeleteControl.noFinalizerRemoval(), seen, pending.get());
  }

  /**
   * An unexpected failure, such as the API server refusing the Secret write: shown as Creating,
   * retried by JOSDK.
   */
  @Override
  public ErrorStatusUpdateControl<CampaignMonitorInstance> updateErrorStatus(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context, Exception e) {
    String detail =
        e instanceof KubernetesClientException k
            ? "Kubernetes API answered " + k.getCode()
            : e.getClass().getSimpleName();
    LOG.warn("Reconcile failed: {}", detail);
    CampaignMonitorInstanceStatus status = Observation.copyOf(cr.getStatus());
    statusWriter.apply(
        cr,
        status,
        new Outcome(
            ReadyReason.CREATING, "Recording the instance failed (" + detail + "); retrying"));
    cr.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(cr);
  }

  /** How many resources the operator keeps something in memory about. */
  int remembered() {
    return memories.size();
  }

  /** Step 1: the status, the output Secret and what is remembered, without any call. */
  private Observation observe(
      CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    memories.forgetGone(context.getPrimaryCache(), clock.instant());
    return Observation.of(cr, secretStores.apply(cr, context), memories.of(cr));
  }

  /**
   * Step 3, on inputs that passed validation (step 2): the credentials Secret is held from now on.
   */
  private Decision act(
      Observation seen,
      ResolvedInputs inputs,
      Context<CampaignMonitorInstance> context,
      CreateIntent intent) {
    credentials.hold(seen, context);
    return actions.act(seen, inputs, intent);
  }

  private <T extends BaseControl<T>> T schedule(T control, Observation seen, Decision decision) {
    return nextReconcile
        .after(decision.next(), seen.memory())
        .map(control::rescheduleAfter)
        .orElse(control);
  }
}
