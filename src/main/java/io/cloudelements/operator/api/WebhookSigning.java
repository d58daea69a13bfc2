package io.cloudelements.operator.api;

/** Whether Cloud Elements signs the event callbacks of the instance. */
public enum WebhookSigning {
  /**
   * The operator makes a random key (or uses {@code events.signatureKeyRef}) and hands it out in
   * the output Secret.
   */
  Generated,
  /** Callbacks are not signed. */
  Disabled
}
