package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.cloudelements.CloudElementsException;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Campaign Monitor element instance per resource: observe the output Secret and the status, resolve
 * the referenced Secrets, create or adopt the remote instance exactly once, record it, then write the status.
 */
@ControllerConfiguration(name = CampaignMonitorInstanceReconciler.NAME)
public class CampaignMonitorInstanceReconciler implements Reconciler<CampaignMonitorInstance> {

  public static final String NAME = "campaignmonitorinstance";
  private static final Logger LOG = LoggerFactory.getLogger(CampaignMonitorInstanceReconciler.class);
  private static final String SECRET_INDEX = "secrets-by-name";

  private final CloudElementsClient cloudElements;
  private final Backoff backoff;
  private final EventPublisher events;
  private final Clock clock;

  public CampaignMonitorInstanceReconciler(CloudElementsClient cloudElements, Backoff backoff, EventPublisher events,
      Clock clock) {
    this.cloudElements = cloudElements;
    this.backoff = backoff;
    this.events = events;
    this.clock = clock;
  }

  /** Watches every Secret a resource references or owns, so that creating or editing one triggers a reconcile. */
  @Override
  public List<EventSource<?, CampaignMonitorInstance>> prepareEventSources(
      EventSourceContext<CampaignMonitorInstance> context) {
    context.getPrimaryCache().addIndexer(SECRET_INDEX, cr -> Stream.concat(
            InputResolver.referencedSecretNames(cr.getSpec()).stream(), Stream.of(InstanceSecret.nameOf(cr)))
        .map(name -> cr.getMetadata().getNamespace() + "/" + name).distinct().toList());
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
    Result result = act(cr, status, secretsOf(cr, context), context);
    return finish(cr, status, result);
  }

  /** An unexpected failure, such as the API server refusing the Secret write: shown as Creating, retried by JOSDK. */
  @Override
  public ErrorStatusUpdateControl<CampaignMonitorInstance> updateErrorStatus(CampaignMonitorInstance cr,
      Context<CampaignMonitorInstance> context, Exception e) {
    String detail = e instanceof KubernetesClientException k ? "Kubernetes API answered " + k.getCode()
        : e.getClass().getSimpleName();
    CampaignMonitorInstanceStatus status = copy(cr.getStatus());
    Outcome outcome = new Outcome(Reasons.CREATING, "Recording the instance failed (" + detail + "); retrying");
    applyOutcome(cr, status, outcome);
    cr.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(cr);
  }

  private Result act(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, SecretLookup secrets,
      Context<CampaignMonitorInstance> context) {
    String secretName = InstanceSecret.nameOf(cr);
    Optional<Secret> output = secrets.find(secretName);
    if (output.isPresent() && !InstanceSecret.isControlledBy(output.get(), cr)) {
      return Result.of(new Outcome(Reasons.SECRET_CONFLICT, "Secret " + secretName
          + " already exists and is not controlled by this resource; it was left untouched. "
          + "Delete it or choose another spec.secretName"));
    }
    Optional<Long> recordedId = output.flatMap(InstanceSecret::recordedId)
        .or(() -> Optional.ofNullable(status.getInstanceId()));
    Optional<String> token = output.flatMap(InstanceSecret::token);
    if (recordedId.isPresent() && token.isPresent()) {
      record(status, recordedId.get(), secretName, token.get());
      return Result.of(Outcome.available(recordedId.get(), secretName));
    }
    try {
      if (recordedId.isPresent()) {
        Optional<Result> restored = restoreSecret(cr, status, recordedId.get(), output, secrets, context);
        if (restored.isPresent()) {
          return restored.get();
        }
      }
      return create(cr, status, InputResolver.resolve(cr, secrets), output, context);
    } catch (InputResolver.MissingSecretException e) {
      return Result.of(new Outcome(Reasons.WAITING_FOR_SECRET, e.getMessage()));
    }
  }

  /** Rewrites a lost or emptied output Secret from {@code GET /instances/{id}}; empty when the instance is gone. */
  private Optional<Result> restoreSecret(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, long id,
      Optional<Secret> output, SecretLookup secrets, Context<CampaignMonitorInstance> context)
      throws InputResolver.MissingSecretException {
    AccountCredentials account = InputResolver.resolveAccount(cr, secrets);
    String fingerprint = "sha256:" + Fingerprints.sha256Hex(account.userSecret() + "\n" + account.organizationSecret());
    if (isStalledFor(status, fingerprint)) {
      return Optional.of(Result.unchanged(status));
    }
    try {
      RemoteInstance instance = cloudElements.get(account, id);
      writeSecret(cr, output, instance, context);
      record(status, instance.id(), InstanceSecret.nameOf(cr), instance.token());
      events.normal(cr, "SecretRestored", "Secret " + InstanceSecret.nameOf(cr) + " was rewritten for instance " + id);
      return Optional.of(Result.of(Outcome.available(id, InstanceSecret.nameOf(cr))));
    } catch (CloudElementsException e) {
      if (e.isNotFound()) {
        LOG.info("Instance {} no longer exists remotely", id);
        status.setInstanceId(null);
        return Optional.empty();
      }
      return Optional.of(failed(status, e, fingerprint));
    }
  }

  /** Finds the instance by its ownership tag, or creates it; then writes the Secret before anything else. */
  private Result create(CampaignMonitorInstance cr, CampaignMonitorInstanceStatus status, ResolvedInputs inputs,
      Optional<Secret> output, Context<CampaignMonitorInstance> context) {
    String fingerprint = inputs.fingerprint();
    if (isStalledFor(status, fingerprint)) {
      return Result.unchanged(status);
    }
    String code = inputs.authorizationCodeFingerprint();
    try {
      List<RemoteInstance> owned = cloudElements.findByTag(inputs.account(), inputs.desired().ownershipTag());
      if (owned.size() > 1) {
        status.setStalledInputsFingerprint(fingerprint);
        return Result.of(new Outcome(Reasons.DUPLICATE_INSTANCES, "Instances "
            + owned.stream().map(i -> Long.toString(i.id())).collect(Collectors.joining(", "))
            + " all carry this resource's ownership tag; delete all but one of them in Cloud Elements"));
      }
      RemoteInstance instance;
      String event;
      if (owned.size() == 1) {
        instance = owned.get(0);
        event = "Adopted";
      } else if (code != null && code.equals(status.getConsumedCodeFingerprint())) {
        status.setStalledInputsFingerprint(fingerprint);
        return Result.of(new Outcome(Reasons.AUTHORIZATION_REQUIRED, "The authorization code in Secret "
            + cr.getSpec().getOauth().getAuthorizationCodeRef().getName() + " key "
            + cr.getSpec().getOauth().getAuthorizationCodeRef().getKey()
            + " was already used and codes are single-use; put a new code into it"));
      } else {
        instance = post(status, inputs, code);
        event = "Created";
      }
      writeSecret(cr, output, instance, context);
      record(status, instance.id(), InstanceSecret.nameOf(cr), instance.token());
      LOG.info("{} instance {}", event, instance.id());
      events.normal(cr, event, event + " instance " + instance.id() + "; Secret " + InstanceSecret.nameOf(cr)
          + " holds its id and token");
      return Result.of(Outcome.available(instance.id(), InstanceSecret.nameOf(cr)));
    } catch (CloudElementsException e) {
      return failed(status, e, fingerprint);
    }
  }

  private RemoteInstance post(CampaignMonitorInstanceStatus status, ResolvedInputs inputs, String code) {
    try {
      RemoteInstance created = cloudElements.create(inputs.account(), inputs.desired());
      status.setConsumedCodeFingerprint(code);
      return created;
    } catch (CloudElementsException e) {
      if (code != null && FailureClassifier.isRejection(e)) {
        status.setConsumedCodeFingerprint(code);
      }
      throw e;
    }
  }

  private Result failed(CampaignMonitorInstanceStatus status, CloudElementsException e, String fingerprint) {
    Outcome outcome = FailureClassifier.outcome(e);
    if (outcome.stalled()) {
      status.setStalledInputsFingerprint(fingerprint);
    }
    return new Result(outcome, e.retryAfter().orElse(null), false);
  }

  private static void writeSecret(CampaignMonitorInstance cr, Optional<Secret> existing, RemoteInstance instance,
      Context<CampaignMonitorInstance> context) {
    Secret desired = InstanceSecret.build(cr, instance);
    if (existing.isPresent()) {
      desired.getMetadata().setResourceVersion(existing.get().getMetadata().getResourceVersion());
      context.resourceOperations().update(desired);
    } else {
      context.resourceOperations().create(desired);
    }
  }

  private static void record(CampaignMonitorInstanceStatus status, long id, String secretName, String token) {
    status.setInstanceId(id);
    status.setSecretName(secretName);
    status.setTokenFingerprint(Fingerprints.of(token));
  }

  private static boolean isStalledFor(CampaignMonitorInstanceStatus status, String fingerprint) {
    return fingerprint.equals(status.getStalledInputsFingerprint())
        && status.condition(StatusConditions.STALLED).map(c -> c.isTrue()).orElse(false);
  }

  private UpdateControl<CampaignMonitorInstance> finish(CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status, Result result) {
    String uid = cr.getMetadata().getUid();
    Optional<Outcome> before = cr.getStatus() == null ? Optional.empty()
        : StatusConditions.current(cr.getStatus().getConditions());
    applyOutcome(cr, status, result.outcome());
    if (!result.outcome().ready() && before.map(b -> !b.reason().equals(result.outcome().reason())).orElse(true)) {
      LOG.info("{}: {}", result.outcome().reason(), result.outcome().message());
      events.warning(cr, result.outcome().reason(), result.outcome().message());
    }
    UpdateControl<CampaignMonitorInstance> control;
    if (sameStatus(cr.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      cr.setStatus(status);
      control = UpdateControl.patchStatus(cr);
    }
    String reason = result.outcome().reason();
    if (Reasons.UPSTREAM_UNAVAILABLE.equals(reason) || Reasons.RATE_LIMITED.equals(reason)) {
      Duration delay = backoff.next(uid, result.retryAfter());
      LOG.debug("Next attempt in {} ms", delay.toMillis());
      control.rescheduleAfter(delay);
    } else if (!result.unchanged()) {
      backoff.reset(uid);
    }
    return control;
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

  /**
   * What a reconcile decided.
   *
   * @param retryAfter the API's Retry-After, if it sent one
   * @param unchanged true when nothing was attempted because the inputs of a terminal error did not change
   */
  private record Result(Outcome outcome, Duration retryAfter, boolean unchanged) {
    static Result of(Outcome outcome) {
      return new Result(outcome, null, false);
    }

    static Result unchanged(CampaignMonitorInstanceStatus status) {
      return new Result(StatusConditions.current(status.getConditions()).orElseThrow(), null, true);
    }
  }
}
