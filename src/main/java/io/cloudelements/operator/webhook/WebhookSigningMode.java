package io.cloudelements.operator.webhook;

import io.cloudelements.operator.api.EventsSpec;
import io.cloudelements.operator.api.WebhookSigning;

/** Where the signature key of an instance comes from, if it has one. */
public enum WebhookSigningMode {
  /** Events off, or {@code signing: Disabled}: callbacks are unsigned. */
  UNSIGNED,
  /** The operator makes the key and keeps it in the output Secret. */
  GENERATED,
  /** The key comes from {@code events.signatureKeyRef}. */
  USER_KEY;

  public static WebhookSigningMode of(EventsSpec events) {
    if (events == null || !events.isEnabled() || events.getSigning() == WebhookSigning.Disabled) {
      return UNSIGNED;
    }
    return events.getSignatureKeyRef() != null ? USER_KEY : GENERATED;
  }
}
