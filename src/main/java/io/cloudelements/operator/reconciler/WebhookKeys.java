package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.cloudelements.operator.api.EventsSpec;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;
import io.cloudelements.operator.webhook.WebhookKeyPlanner.Plan;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import io.cloudelements.operator.webhook.WebhookSigningMode;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook signature key of one resource: planned from the spec, the output Secret, the status
 * and the rotation annotation; recorded in the status (fingerprint and handled rotation only) once
 * it is in place remotely and in the output Secret.
 */
final class WebhookKeys {

  private static final WebhookKeyPlanner PLANNER = new WebhookKeyPlanner(new SecureRandom());

  private WebhookKeys() {}

  /**
   * @param userKey the value of {@code events.signatureKeyRef}, already read, or null without one
   */
  static Plan plan(CampaignMonitorInstance cr, SecretLookup secrets, String userKey) {
    EventsSpec events = cr.getSpec().getEvents();
    WebhookSigningMode mode = WebhookSigningMode.of(events);
    CampaignMonitorInstanceStatus status =
        cr.getStatus() == null ? new CampaignMonitorInstanceStatus() : cr.getStatus();
    Optional<Secret> output =
        secrets
            .find(InstanceSecret.nameOf(cr))
            .filter(secret -> InstanceSecret.isControlledBy(secret, cr));
    boolean instanceExists =
        status.getInstanceId() != null
            || output.flatMap(InstanceSecret::recordedId).isPresent()
            || cr.getSpec().getInstanceId() != null;
    String source =
        mode == WebhookSigningMode.USER_KEY
            ? events.getSignatureKeyRef().toString()
            : "Secret "
                + InstanceSecret.nameOf(cr)
                + " key "
                + InstanceSecret.WEBHOOK_SIGNATURE_KEY;
    return PLANNER.plan(
        new WebhookKeyPlanner.Facts(
            mode,
            Optional.ofNullable(userKey).map(WebhookSignatureKey::of),
            output.flatMap(InstanceSecret::signatureKey).map(WebhookSignatureKey::of),
            instanceExists,
            status.getWebhookSignatureKeyFingerprint(),
            rotationRequest(cr),
            status.getWebhookKeyRotation(),
            source));
  }

  /**
   * True when the status already shows this plan: nothing about the key is left to do or to tell.
   */
  static boolean recorded(CampaignMonitorInstanceStatus status, Plan plan) {
    return !plan.newlyGenerated()
        && plan.notice().isEmpty()
        && Objects.equals(status.getWebhookSignatureKeyFingerprint(), plan.fingerprint())
        && Objects.equals(status.getWebhookKeyRotation(), plan.handledRotation());
  }

  /**
   * Once the key is in place remotely and in the output Secret: the status, and an Event when there
   * is news.
   */
  static void record(
      CampaignMonitorInstance cr,
      CampaignMonitorInstanceStatus status,
      Plan plan,
      EventPublisher events) {
    status.setWebhookSignatureKeyFingerprint(plan.fingerprint());
    status.setWebhookKeyRotation(plan.handledRotation());
    plan.notice()
        .ifPresent(
            notice -> {
              if (notice instanceof WebhookKeyPlanner.RotationIgnored) {
                events.warning(cr, EventReason.WEBHOOK_KEY_ROTATION_IGNORED, notice.message());
              } else {
                events.normal(cr, EventReason.WEBHOOK_KEY_ROTATED, notice.message());
              }
            });
  }

  private static String rotationRequest(CampaignMonitorInstance cr) {
    Map<String, String> annotations = cr.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(WebhookKeyPlanner.ROTATE_ANNOTATION);
  }
}
