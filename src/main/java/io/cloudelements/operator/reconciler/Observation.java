package io.cloudelements.operator.reconciler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Step 1, observe: what a reconcile starts from, read from caches and memory without any call.
 *
 * @param status a copy of the stored status, which the later steps change and the status writer
 *     compares
 * @param output the output Secret, whoever controls it
 */
record Observation(
    CampaignMonitorInstance cr,
    CampaignMonitorInstanceStatus status,
    SecretStore secrets,
    Optional<Secret> output,
    ResourceMemory memory) {

  /** The status is a plain Jackson object: copying it needs no Kubernetes model registry. */
  private static final ObjectMapper STATUS_JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static Observation of(CampaignMonitorInstance cr, SecretStore secrets, ResourceMemory memory) {
    return new Observation(
        cr, copyOf(cr.getStatus()), secrets, secrets.find(InstanceSecret.nameOf(cr)), memory);
  }

  /** A deep copy, so that the stored status stays as it was for comparison. */
  static CampaignMonitorInstanceStatus copyOf(CampaignMonitorInstanceStatus status) {
    return status == null
        ? new CampaignMonitorInstanceStatus()
        : STATUS_JSON.convertValue(status, CampaignMonitorInstanceStatus.class);
  }

  /** True when the status differs from the stored one (or none is stored). */
  boolean statusChanged() {
    return !status.equals(cr.getStatus());
  }

  String secretName() {
    return InstanceSecret.nameOf(cr);
  }

  /**
   * The instance this resource stands for: from the status, else the output Secret, else
   * spec.instanceId.
   */
  Optional<Long> recordedId() {
    return Optional.ofNullable(status.getInstanceId())
        .or(() -> output.flatMap(InstanceSecret::recordedId))
        .or(() -> Optional.ofNullable(cr.getSpec().getInstanceId()));
  }
}
