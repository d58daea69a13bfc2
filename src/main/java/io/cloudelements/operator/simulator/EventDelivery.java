package io.cloudelements.operator.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event notification the simulator POSTed to an instance's {@code
 * event.notification.callback.url}, and what it got back.
 *
 * @param instanceId the instance whose event it was
 * @param webhookId the {@code Elements-Webhook-Id} header sent
 * @param callbackUrl where it was sent
 * @param signature the {@code Elements-Webhook-Signature} header sent ({@code sha256=<base64>}), or
 *     null when the instance has no signature key (unsigned)
 * @param body the exact body sent (UTF-8 JSON); the signature covers these bytes
 * @param status the status the receiver answered, or 0 when it did not answer
 * @param error why there was no answer (connection refused, timeout), or null
 * @param at when it was sent
 */
public record EventDelivery(
    long instanceId,
    String webhookId,
    String callbackUrl,
    String signature,
    String body,
    int status,
    String error,
    Instant at) {

  public boolean signed() {
    return signature != null;
  }

  /** Whether the receiver answered 2xx. */
  public boolean delivered() {
    return status >= 200 && status < 300;
  }

  /** The raw body bytes, as signed and sent. */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "EventDelivery[instance "
        + instanceId
        + " -> "
        + callbackUrl
        + ", "
        + (signed() ? "signed" : "unsigned")
        + ", "
        + (status == 0 ? "no answer: " + error : "answered " + status)
        + ", Elements-Webhook-Id "
        + webhookId
        + " at "
        + at
        + "]";
  }
}
