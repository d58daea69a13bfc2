package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Webhook event notifications of the instance. */
@ValidationRule(
    value = "!has(self.enabled) || !self.enabled || has(self.callbackUrl)",
    message = "events.callbackUrl is required when events.enabled is true")
@ValidationRule(
    value = "!has(self.signatureKeyRef) || !has(self.signing) || self.signing != 'Disabled'",
    message = "events.signatureKeyRef cannot be used with events.signing: Disabled")
@ValidationRule(
    value = "!has(self.signatureKeyRef) || (has(self.enabled) && self.enabled)",
    message = "events.signatureKeyRef requires events.enabled: true")
public class EventsSpec {

  @JsonPropertyDescription("event.notification.enabled")
  @Default("false")
  private boolean enabled;

  @JsonPropertyDescription("Where Cloud Elements POSTs events (event.notification.callback.url).")
  @Size(max = 2048)
  @Pattern("^https://[^\\s]+$")
  private String callbackUrl;

  @JsonPropertyDescription(
      "Campaign Monitor subscriber list ids, sent joined with commas (events.list.ids).")
  @Size(max = 100)
  private List<@Size(min = 1, max = 64) @Pattern("^[^,\\s]+$") String> listIds = new ArrayList<>();

  @JsonPropertyDescription(
      "Whether callbacks are signed (event.notification.signature.key): Generated makes a random "
          + "key and writes it to the output Secret as webhookSignatureKey; Disabled sends unsigned callbacks. "
          + "No effect while events are not enabled.")
  @Default("Generated")
  private WebhookSigning signing = WebhookSigning.Generated;

  @JsonPropertyDescription(
      "A signature key the user manages, instead of a generated one. Needs events.enabled and "
          + "signing Generated (or absent).")
  private SecretKeyReference signatureKeyRef;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getCallbackUrl() {
    return callbackUrl;
  }

  public void setCallbackUrl(String callbackUrl) {
    this.callbackUrl = callbackUrl;
  }

  public WebhookSigning getSigning() {
    return signing;
  }

  public void setSigning(WebhookSigning signing) {
    this.signing = signing == null ? WebhookSigning.Generated : signing;
  }

  public SecretKeyReference getSignatureKeyRef() {
    return signatureKeyRef;
  }

  public void setSignatureKeyRef(SecretKeyReference signatureKeyRef) {
    this.signatureKeyRef = signatureKeyRef;
  }

  public List<String> getListIds() {
    return listIds;
  }

  public void setListIds(List<String> listIds) {
    this.listIds = listIds == null ? new ArrayList<>() : listIds;
  }
}
