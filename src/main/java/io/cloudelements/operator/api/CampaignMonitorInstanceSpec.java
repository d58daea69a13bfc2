package io.cloudelements.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the user asks for: one Campaign Monitor element instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.oauth) != has(self.basic)",
    message = "exactly one of spec.oauth or spec.basic must be set")
@ValidationRule(
    value =
        "!has(oldSelf.instanceId) || (has(self.instanceId) && self.instanceId == oldSelf.instanceId)",
    message = "spec.instanceId is immutable once set")
public class CampaignMonitorInstanceSpec {

  @JsonPropertyDescription(
      "Name of the element instance (\"name\" in the POST body). Defaults to metadata.name.")
  @Size(min = 1, max = 200)
  private String instanceName;

  @JsonPropertyDescription("User tags sent as \"tags\"; the operator adds its own ownership tag.")
  @Size(max = 50)
  private List<@Size(min = 1, max = 100) @Pattern("^[^,]*$") String> tags = new ArrayList<>();

  @JsonPropertyDescription(
      "Secret in this namespace with the keys userSecret and organizationSecret.")
  @Required
  private LocalSecretReference credentialsRef;

  @JsonPropertyDescription(
      "OAuth 2 authorization of the instance. Exactly one of oauth and basic is set.")
  private OAuthSpec oauth;

  @JsonPropertyDescription(
      "Campaign Monitor API key authorization. Exactly one of oauth and basic is set.")
  private BasicAuthSpec basic;

  @JsonPropertyDescription("Webhook event notifications.")
  private EventsSpec events;

  @JsonPropertyDescription(
      "Name of the output Secret holding id and token. Defaults to <metadata.name>-instance.")
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String secretName;

  @JsonPropertyDescription(
      "Id of an existing remote instance to adopt instead of creating one. Immutable once set.")
  @Min(1)
  private Long instanceId;

  @JsonPropertyDescription("What happens to the remote instance when this resource is deleted.")
  @Default("Delete")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  public String getInstanceName() {
    return instanceName;
  }

  public void setInstanceName(String instanceName) {
    this.instanceName = instanceName;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags == null ? new ArrayList<>() : tags;
  }

  public LocalSecretReference getCredentialsRef() {
    return credentialsRef;
  }

  public void setCredentialsRef(LocalSecretReference credentialsRef) {
    this.credentialsRef = credentialsRef;
  }

  public OAuthSpec getOauth() {
    return oauth;
  }

  public void setOauth(OAuthSpec oauth) {
    this.oauth = oauth;
  }

  public BasicAuthSpec getBasic() {
    return basic;
  }

  public void setBasic(BasicAuthSpec basic) {
    this.basic = basic;
  }

  public EventsSpec getEvents() {
    return events;
  }

  public void setEvents(EventsSpec events) {
    this.events = events;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public Long getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(Long instanceId) {
    this.instanceId = instanceId;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }
}
