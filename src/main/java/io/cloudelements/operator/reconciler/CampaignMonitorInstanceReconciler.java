package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.cloudelements.operator.cloudelements.Fingerprints;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Campaign Monitor element instance per resource. Each reconcile observes the output Secret and the
 * status, validates the referenced Secrets, acts (create, adopt, sync or delete the remote instance) and writes the
 * status only when it changed.
 */
@ControllerConfiguration(name = CampaignMonitorInstanceReconciler.NAME,
    finalizerName = CampaignMonitorInstanceReconciler.FINALIZER,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = MetadataChangeFilter.class))
public class CampaignMonitorInstanceReconciler implements Reconciler<CampaignMonitorInstance>,
    Cleaner<CampaignMonitorInstance> {

  public static final String NAME = "campaignmonitorinstance";
  public static final String FINALIZER = "cloudelements.io/finalizer";
  private static final Logger LOG = LoggerFactory.getLogger(CampaignMonitorInstanceReconciler.class);
  private static final String SECRET_INDEX = "secrets-by-name";

  private final Backoff backoff;
  private final EventPublisher events;
  private final Clock clock;
  private final Duration resyncInterval;
  private final RemoteCreation creation;
  private final RemoteSync sync;
  private final RemoteDeletion deletion;
  private final CredentialsGuard credentials = new CredentialsGuard();
  /** Per resource uid, when its instance was last created or read back. */
  private final Map<String, Instant> verifiedAt = new ConcurrentHashMap<>();

  public CampaignMonitorInstanceReconciler(CloudElementsClient cloudElements, Backoff backoff, EventPublisher events,
      Clock clock, Duration resyncInterval) {
    this(cloudElements, backoff, events, clock, resyncInterval, Duration.ofMinutes(1));
  }

  /**
   * @param unansweredPostSettle how long after a POST that got no answer the next POST waits (the first may still
   *     take effect); twice the request timeout is a good value
   */
  public CampaignMonitorInstanceReconciler(CloudElementsClient cloudElements, Backoff backoff, EventPublisher events,
      Clock clock, Duration resyncInterval, Duration unansweredPostSettle) {
    this.backoff = backoff;
    this.events = events;
    this.clock = clock;
    this.resyncInterval = resyncInterval;
    this.creation = new RemoteCreation(cloudElements, events, clock, unansweredPostSettle);
    this.sync = new RemoteSync(cloudElements, events);
    this.deletion = new RemoteDeletion(cloudElements, events);
  }

  /** Watches every Secret a resource references or owns, so that creating or editing one triggers a reconcile. */
  @Override
  public List<EventSource<?, CampaignMonitorInstance>> prepareEventSources(
      EventSourceContext<CampaignMonitorInstance> context) {
    context.getPrimaryCache().addIndexer(SECRET_INDEX, cr -> Stream.concat(
            InputResolver.referencedSecretNames(cr.getSpec()).stream(), Stream.of(InstanceSecret.nameOf(cr)))
        .map(name -> cr.getMetadata().getNamespace() + "/" + name).distinct().toList());
    context.getPrimaryCache().addIndexer(CredentialsGuard.INDEX, CredentialsGuard::indexKeys);
    var config = InformerEventSourceConfiguration.from(Secret.class, CampaignMonitorInstance.class)
        .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
            .byIndex(SECRET_INDEX, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withNamespacesInheritedFromController()
        .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  @Override
  public UpdateControl<CampaignMonitorInstance> reconcile(CampaignMonitorInstance cr,
      Context<CampaignMonitorInstance> context) {
    CampaignMonitorInstanceStatus status = copy(cr.getStatus());
    if (Annotations.isPaused(cr)) {
      return finish(cr, status, paused());
    }
    SecretLookup secrets = secretsOf(cr, context);
    credentials.hold(cr, status, secrets, context);
    return finish(cr, status, act(cr, status, secrets, context));
  }

  @Override
  public DeleteControl cleanup(CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    CampaignMonitorInstanceStatus status = copy(cr.getStatus());
    Optional<ReconcileResult> pending = Annotations.isPaused(cr) ? Optional.of(paused())
        : deletion.delete(cr, status, secretsOf(cr, context), context);
    if (pending.isEmpty()) {
      creation.forget(cr.getMetadata().getUid());
      verifiedAt.remove(cr.getMetadata().getUid());
      credentials.releaseAfterCleanup(cr, context);
      backoff.reset(cr.getMetadata().getUid());
      return DeleteControl.defaultDelete();
    }
    ReconcileResult result = pending.get();
    announce(cr, result);
    applyOutcome(cr, status, result.outcome());
    if (!sameStatus(cr.getStatus(), status)) {
      context.resourceOperations().jsonPatchPrimaryStatus(cr, c -> {
        c.setStatus(status);
        return c;
      });
    }
    DeleteControl control = DeleteControl.noFinalizerRemoval();
    return result.retrying() ? control.rescheduleAfter(backoff.next(cr.getMetadata().getUid(), result.retryAfter()))
        : control;
  }

  /** An unexpected failure, such as the API server refusing the Secret write: shown as Creating, retried by JOSDK. */
  @Override
  public ErrorStatusUpdateControl<CampaignMonitorInstance> updateErrorStatus(CampaignMonitorInstance cr,
      Context<CampaignMonitorInstance> context, Exception e) {
    String detail = e instanceof KubernetesClientException k ? "Kubernetes API answered " + k.getCode()
        : e.getClass().getSimpleName();
    LOG.warn("Reconcile failed: {}", detail);
    CampaignMonitorInstanceStatus status = copy(cr.getStatus());
    applyOutcome(cr, status, new Outcome(Reasons.CREATING, "Recording the instance failed (" + detail
        + "); retrying"));
    cr.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(cr);
  }

  private ReconcileResult act(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, SecretLookup secrets,
      Context<CampaignMonitorInstance> context) {
    String secretName = InstanceSecret.nameOf(cr);
    Optional<Secret> output = secrets.find(secretName);
    if (output.isPresent() && !InstanceSecret.isControlledBy(output.get(), cr)) {
      return ReconcileResult.of(Reasons.SECRET_CONFLICT, "Secret " + secretName
          + " already exists and is not controlled by this resource; it was left untouched. "
          + "Delete it or choose another spec.secretName");
    }
    ResolvedInputs inputs;
    try {
      inputs = InputResolver.resolve(cr, secrets, false);
    } catch (InputResolver.MissingSecretException e) {
      return ReconcileResult.of(Reasons.WAITING_FOR_SECRET, e.getMessage());
    }
    if (isStalledFor(status, inputs.fingerprint())) {
      return ReconcileResult.unchanged(status);
    }
    Optional<Long> recorded = Optional.ofNullable(status.getInstanceId())
        .or(() -> output.flatMap(InstanceSecret::recordedId))
        .or(() -> Optional.ofNullable(cr.getSpec().getInstanceId()));
    if (recorded.isPresent()) {
      Optional<Duration> untilCheck = untilNextCheck(cr, status, inputs, output, recorded.get());
      if (untilCheck.isPresent()) {
        return new ReconcileResult(Outcome.available(recorded.get(), secretName), untilCheck.get(), true);
      }
      Optional<ReconcileResult> synced = sync.sync(cr, status, recorded.get(), inputs, output, context);
      if (synced.isPresent()) {
        return synced.get();
      }
      return creation.create(cr, status, inputs, output, context, true);
    }
    return creation.create(cr, status, inputs, output, context, false);
  }

  /**
   * Time left until the next drift check when the instance was read back less than a resync interval ago and
   * nothing changed since: then an event (a shared Secret touched, say) costs no call.
   */
  private Optional<Duration> untilNextCheck(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status,
      ResolvedInputs inputs, Optional<Secret> output, long id) {
    Instant verified = verifiedAt.get(cr.getMetadata().getUid());
    Duration left = verified == null ? Duration.ZERO : Duration.between(clock.instant(), verified.plus(resyncInterval));
    String code = inputs.authorizationCodeFingerprint();
    boolean upToDate = Objects.equals(status.getInstanceId(), id)
        && StatusConditions.current(status.getConditions()).map(Outcome::ready).orElse(false)
        && output.flatMap(InstanceSecret::recordedId).equals(Optional.of(id))
        && output.flatMap(InstanceSecret::token).map(Fingerprints::of).equals(
            Optional.ofNullable(status.getTokenFingerprint()))
        && (code == null || code.equals(status.getConsumedCodeFingerprint()))
        && AppliedState.patch(inputs.desired(), status.getAppliedFingerprints()).isEmpty();
    return upToDate && left.compareTo(Duration.ofMillis(100)) > 0 ? Optional.of(left) : Optional.empty();
  }

  private static ReconcileResult paused() {
    return ReconcileResult.of(Reasons.PAUSED, "Annotation " + Annotations.PAUSED
        + "=\"true\" is set: no calls to Cloud Elements until it is removed");
  }

  private static boolean isStalledFor(CampaignMonitorInstanceStatus status, String fingerprint) {
    return fingerprint.equals(status.getStalledInputsFingerprint())
        && status.condition(StatusConditions.STALLED).map(c -> c.isTrue()).orElse(false);
  }

  private UpdateControl<CampaignMonitorInstance> finish(CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status, ReconcileResult result) {
    announce(cr, result);
    applyOutcome(cr, status, result.outcome());
    UpdateControl<CampaignMonitorInstance> control;
    if (sameStatus(cr.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      cr.setStatus(status);
      control = UpdateControl.patchStatus(cr);
    }
    String uid = cr.getMetadata().getUid();
    if (result.retrying()) {
      Duration delay = backoff.next(uid, result.retryAfter());
      LOG.debug("Next attempt in {} ms", delay.toMillis());
      return control.rescheduleAfter(delay);
    }
    if (!result.unchanged()) {
      backoff.reset(uid);
    }
    String reason = result.outcome().reason();
    if (Reasons.AVAILABLE.equals(reason) && result.unchanged()) {
      return control.rescheduleAfter(result.retryAfter());
    }
    if (Reasons.AVAILABLE.equals(reason) || Reasons.INSTANCE_INVALID.equals(reason)) {
      verifiedAt.put(uid, clock.instant());
      return control.rescheduleAfter(resyncInterval);
    }
    verifiedAt.remove(uid);
    return control;
  }

  /** One Event, and one log line, for each change of the Ready reason into anything but Available. */
  private void announce(CampaignMonitorInstance cr, ReconcileResult result) {
    Outcome outcome = result.outcome();
    Optional<Outcome> before = cr.getStatus() == null ? Optional.empty()
        : StatusConditions.current(cr.getStatus().getConditions());
    if (outcome.ready() || before.map(b -> b.reason().equals(outcome.reason())).orElse(false)) {
      return;
    }
    LOG.info("{}: {}", outcome.reason(), outcome.message());
    if (outcome.paused()) {
      events.normal(cr, outcome.reason(), outcome.message());
    } else {
      events.warning(cr, outcome.reason(), outcome.message());
    }
  }

  private void applyOutcome(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, Outcome outcome) {
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    status.setObservedGeneration(generation);
    status.setConditions(StatusConditions.next(status.getConditions(), outcome, generation, clock.instant()));
    if (!outcome.stalled()) {
      status.setStalledInputsFingerprint(null);
    }
  }

  private static SecretLookup secretsOf(CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    @SuppressWarnings("unchecked")
    InformerEventSource<Secret, CampaignMonitorInstance> source = (InformerEventSource<Secret,
        CampaignMonitorInstance>) context.eventSourceRetriever().getEventSourceFor(Secret.class);
    String namespace = cr.getMetadata().getNamespace();
    return name -> source.get(new ResourceID(name, namespace));
  }

  private static CampaignMonitorInstanceStatus copy(CampaignMonitorInstanceStatus status) {
    return status == null ? new CampaignMonitorInstanceStatus()
        : Serialization.jsonMapper().convertValue(status, CampaignMonitorInstanceStatus.class);
  }

  private static boolean sameStatus(CampaignMonitorInstanceStatus a, CampaignMonitorInstanceStatus b) {
    return a != null && Serialization.jsonMapper().valueToTree(a).equals(Serialization.jsonMapper().valueToTree(b));
  }
}
