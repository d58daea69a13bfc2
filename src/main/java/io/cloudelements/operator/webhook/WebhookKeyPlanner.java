package io.cloudelements.operator.webhook;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which signature key an instance carries: none, the user's, the generated one kept in the
 * output Secret, or a new one (first key, lost output Secret, rotation annotation). It makes no
 * call; the caller applies the plan and records {@link Plan#handledRotation()} only once the key is
 * in place.
 */
public final class WebhookKeyPlanner {

  /** The annotation whose every new value rotates a generated key once. */
  public static final String ROTATE_ANNOTATION = "cloudelements.io/rotate-webhook-key";

  private final SecureRandom random;

  public WebhookKeyPlanner(SecureRandom random) {
    this.random = random;
  }

  /**
   * What is known about one resource.
   *
   * @param userKey the value of {@code events.signatureKeyRef}, already read (only with {@link
   *     WebhookSigningMode#USER_KEY})
   * @param storedKey {@code webhookSignatureKey} of the output Secret, if it holds one
   * @param instanceExists whether a remote instance was already created or adopted
   * @param currentFingerprint {@code status.webhookSignatureKeyFingerprint}: the key in use, or
   *     null
   * @param rotationRequest the value of {@link #ROTATE_ANNOTATION}, or null
   * @param handledRotation {@code status.webhookKeyRotation}, or null
   * @param keySource where the key comes from, for messages: the user's Secret and key, or the
   *     output Secret
   */
  public record Facts(
      WebhookSigningMode mode,
      Optional<WebhookSignatureKey> userKey,
      Optional<WebhookSignatureKey> storedKey,
      boolean instanceExists,
      String currentFingerprint,
      String rotationRequest,
      String handledRotation,
      String keySource) {

    public Facts {
      Objects.requireNonNull(mode, "mode");
      userKey = Objects.requireNonNullElse(userKey, Optional.empty());
      storedKey = Objects.requireNonNullElse(storedKey, Optional.empty());
      rotationRequest =
          rotationRequest == null || rotationRequest.isBlank() ? null : rotationRequest.trim();
    }

    boolean newRotationRequest() {
      return rotationRequest != null && !rotationRequest.equals(handledRotation);
    }
  }

  /** Something to tell about the key, as an Event. Never holds the key itself. */
  public sealed interface Notice permits Rotated, RotationIgnored {
    String message();
  }

  /** The key in use changed (Normal Event {@code WebhookKeyRotated}). */
  public record Rotated(String message) implements Notice {}

  /** A rotation request that has no effect, because the user manages the key (Warning Event). */
  public record RotationIgnored(String message) implements Notice {}

  /**
   * The plan.
   *
   * @param key the key the instance must carry; empty for unsigned callbacks
   * @param newlyGenerated true when {@code key} was just made and exists nowhere yet
   * @param handledRotation the value for {@code status.webhookKeyRotation} once the plan is applied
   * @param notice what to tell, if anything
   */
  public record Plan(
      Optional<WebhookSignatureKey> key,
      boolean newlyGenerated,
      String handledRotation,
      Optional<Notice> notice) {

    /** The value for {@code status.webhookSignatureKeyFingerprint}. */
    public String fingerprint() {
      return key.map(WebhookSignatureKey::fingerprint).orElse(null);
    }

    /** The key as the instance configuration wants it: null for none. */
    public String keyValue() {
      return key.map(WebhookSignatureKey::value).orElse(null);
    }
  }

  public Plan plan(Facts facts) {
    String handled = facts.newRotationRequest() ? facts.rotationRequest() : facts.handledRotation();
    return switch (facts.mode()) {
      case UNSIGNED -> new Plan(Optional.empty(), false, handled, Optional.empty());
      case USER_KEY -> userKey(facts, handled);
      case GENERATED -> generated(facts, handled);
    };
  }

  private static Plan userKey(Facts facts, String handled) {
    WebhookSignatureKey key =
        facts
            .userKey()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the key of events.signatureKeyRef must be read first"));
    Optional<Notice> notice;
    if (facts.newRotationRequest()) {
      notice =
          Optional.of(
              new RotationIgnored(
                  "Annotation "
                      + ROTATE_ANNOTATION
                      + "=\""
                      + facts.rotationRequest()
                      + "\" is ignored: the webhook signature key comes from "
                      + facts.keySource()
                      + " (events.signatureKeyRef); change the key there to rotate it"));
    } else if (replaces(facts, key)) {
      notice =
          Optional.of(
              new Rotated(
                  "The webhook signature key in "
                      + facts.keySource()
                      + " changed; the "
                      + "instance now signs with "
                      + key.fingerprint()));
    } else {
      notice = Optional.empty();
    }
    return new Plan(Optional.of(key), false, handled, notice);
  }

  private Plan generated(Facts facts, String handled) {
    if (facts.newRotationRequest() && facts.instanceExists()) {
      WebhookSignatureKey key = WebhookSignatureKey.generate(random);
      return new Plan(
          Optional.of(key),
          true,
          handled,
          Optional.of(
              new Rotated(
                  "Rotated the webhook signature key "
                      + "as annotation "
                      + ROTATE_ANNOTATION
                      + "=\""
                      + facts.rotationRequest()
                      + "\" asks; the instance now "
                      + "signs with "
                      + key.fingerprint()
                      + ", kept in "
                      + facts.keySource())));
    }
    if (facts.storedKey().isPresent()) {
      return new Plan(facts.storedKey(), false, handled, Optional.empty());
    }
    WebhookSignatureKey key = WebhookSignatureKey.generate(random);
    Optional<Notice> notice =
        facts.currentFingerprint() == null
            ? Optional.empty()
            : Optional.of(
                new Rotated(
                    "The webhook signature key was missing from "
                        + facts.keySource()
                        + ", and Cloud Elements never shows it again: made a new one, "
                        + key.fingerprint()));
    return new Plan(Optional.of(key), true, handled, notice);
  }

  private static boolean replaces(Facts facts, WebhookSignatureKey key) {
    return facts.currentFingerprint() != null
        && !facts.currentFingerprint().equals(key.fingerprint());
  }
}
