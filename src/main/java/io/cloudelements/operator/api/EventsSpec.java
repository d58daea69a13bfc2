package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Webhook event notifications of the instance. */
@ValidationRule(value = "!has(self.enabled) || !self.enabled || has(self.callbackUrl)",
    message = "events.callbackUrl is required when events.enabled is true")
public class EventsSpec {

  @JsonPropertyDescription("event.notification.enabled")
  @Default("false")
  private boolean enabled;

  @JsonPropertyDescription("Where Cloud Elements POSTs events (event.notification.callback.url).")
  @Size(max = 2048)
  @Pattern("^https://[^\\s]+$")
  private String callbackUrl;

  @JsonPropertyDescription("Campaign Monitor subscriber list ids, sent joined with commas (events.list.ids).")
  @Size(max = 100)
  private List<@Size(min = 1, max = 64) @Pattern("^[^,\\s]+$") String> listIds = new ArrayList<>();

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

  public List<String> getListIds() {
    return listIds;
  }

  public void setListIds(List<String> listIds) {
    this.listIds = listIds == null ? new ArrayList<>() : listIds;
  }
}
