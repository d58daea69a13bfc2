package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceSpec;
import io.cloudelements.operator.api.LocalSecretReference;
import io.cloudelements.operator.api.OAuthSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.cloudelements.FakeCloudElementsClient;
import io.cloudelements.operator.consent.ConsentStarter;
import io.cloudelements.operator.consent.StateSigner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Drives the real reconciler against {@link FakeCloudElementsClient}, {@link FakeSecrets} and
 * {@link FakeContext}, applying each status it writes the way JOSDK would. One resource, {@code
 * story} in namespace {@code ns}.
 */
final class ReconcilerDriver {

  static final Duration RESYNC = Duration.ofMinutes(10);
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final String OUTPUT = "story-instance";

  final FakeCloudElementsClient cloud = new FakeCloudElementsClient();
  final FakeSecrets secrets = new FakeSecrets();
  final RecordedEvents events = new RecordedEvents();
  final FakeContext context = new FakeContext();
  final CampaignMonitorInstance cr = oauthResource();
  private Instant now = Instant.parse("2026-01-05T09:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  final StateSigner signer =
      new StateSigner(StateSigner.newKey(new SecureRandom()), new SecureRandom());
  final CampaignMonitorInstanceReconciler reconciler =
      new CampaignMonitorInstanceReconciler(
          ReconcilerParts.of(
              cloud,
              new ConsentStarter(cloud, signer, clock, Duration.ofMinutes(15)),
              new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
              events,
              clock,
              RESYNC,
              SETTLE,
              (r, c) -> secrets));

  /** The consent step as the reconciler builds it, with a fresh state key and the system clock. */
  static ConsentStep consentStep(FakeCloudElementsClient cloud, RecordedEvents events) {
    SecureRandom random = new SecureRandom();
    return new ConsentStep(
        new ConsentStarter(
            cloud,
            new StateSigner(StateSigner.newKey(random), random),
            Clock.systemUTC(),
            Duration.ofMinutes(15)),
        events,
        Clock.systemUTC());
  }

  ReconcilerDriver() {
    secrets
        .put("ce-credentials", "userSecret", "user-s3cret", "organizationSecret", "org-s3cret")
        .put("cm-app", "consumerKey", "ck", "consumerSecret", "cs")
        .put("cm-code", "code", "code-1");
    context.add(cr);
  }

  UpdateControl<CampaignMonitorInstance> reconcile() {
    return reconcile(cr);
  }

  /** A reconcile of {@code resource}, which the context then holds as its primary resource. */
  UpdateControl<CampaignMonitorInstance> reconcile(CampaignMonitorInstance resource) {
    context.primary(resource);
    return reconciler.reconcile(resource, context);
  }

  /** A reconcile of the resource marked for deletion. */
  UpdateControl<CampaignMonitorInstance> cleanup() {
    cr.getMetadata().setDeletionTimestamp(now.toString());
    return reconcile(cr);
  }

  /** The reconcile of the delete event, once the finalizers are gone: the resource left. */
  void deleteEvent() {
    context.deleteEvent(true);
    reconcile(cr);
    context.deleteEvent(false);
    context.remove(cr);
  }

  /** True while the operator's finalizer holds the resource. */
  boolean finalizerHolds() {
    return cr.hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER);
  }

  Optional<String> intent() {
    return Optional.ofNullable(cr.getMetadata().getAnnotations().get(CreateIntent.ANNOTATION));
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** A spec change, as the API server would apply it: a new generation. */
  void editSpec(java.util.function.Consumer<CampaignMonitorInstanceSpec> edit) {
    edit.accept(cr.getSpec());
    cr.getMetadata().setGeneration(cr.getMetadata().getGeneration() + 1);
  }

  void annotate(String key, String value) {
    cr.getMetadata().getAnnotations().put(key, value);
  }

  ReadyReason reason() {
    return StatusConditions.current(cr.getStatus().getConditions()).orElseThrow().reason();
  }

  String message() {
    return StatusConditions.current(cr.getStatus().getConditions()).orElseThrow().message();
  }

  Optional<String> outputValue(String key) {
    return secrets.get(OUTPUT).flatMap(s -> SecretLookup.value(s, key));
  }

  boolean credentialsHeld() {
    return secrets
        .get("ce-credentials")
        .map(
            s ->
                s.getMetadata().getFinalizers() != null
                    && s.getMetadata().getFinalizers().contains(CredentialsGuard.IN_USE))
        .orElse(false);
  }

  static CampaignMonitorInstance oauthResource() {
    CampaignMonitorInstance cr = new CampaignMonitorInstance();
    cr.setMetadata(
        new ObjectMetaBuilder()
            .withName("story")
            .withNamespace("ns")
            .withUid("uid-story")
            .withGeneration(1L)
            .withAnnotations(new java.util.HashMap<>())
            .build());
    CampaignMonitorInstanceSpec spec = new CampaignMonitorInstanceSpec();
    spec.setCredentialsRef(new LocalSecretReference("ce-credentials"));
    OAuthSpec oauth = new OAuthSpec();
    oauth.setCallbackUrl("https://example.com/callback");
    oauth.setConsumerKeyRef(new SecretKeyReference("cm-app", "consumerKey"));
    oauth.setConsumerSecretRef(new SecretKeyReference("cm-app", "consumerSecret"));
    oauth.setAuthorizationCodeRef(new SecretKeyReference("cm-code", "code"));
    spec.setOauth(oauth);
    cr.setSpec(spec);
    return cr;
  }
}
