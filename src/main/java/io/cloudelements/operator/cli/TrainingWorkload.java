package io.cloudelements.operator.cli;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * What the class-archive training does in the embedded API server ({@link ClassArchiveTraining}):
 * one instance with its Secrets as in the examples, created and deleted, and the answer that lets
 * the operator's leader election start there.
 */
final class TrainingWorkload {

  static final String NAMESPACE = "default";
  private static final String NAME = "training";

  private final KubernetesClient admin;

  TrainingWorkload(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Creates the credentials, the API key and a resource with signed webhook events. */
  void apply() {
    for (HasMetadata object : resources()) {
      admin.resource(object).inNamespace(NAMESPACE).create();
    }
  }

  boolean ready() {
    CampaignMonitorInstance cr = instance();
    return cr != null
        && cr.getStatus() != null
        && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
  }

  void delete() {
    admin.resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).withName(NAME).delete();
  }

  /** Whether the deleted instance is gone (the operator removed its finalizer). */
  boolean gone() {
    return instance() == null;
  }

  private CampaignMonitorInstance instance() {
    return admin
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .get();
  }

  private static List<HasMetadata> resources() {
    return List.of(
        Serialization.unmarshal(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: cloud-elements-account}
            stringData: {userSecret: user-secret, organizationSecret: org-secret}
            """,
            HasMetadata.class),
        Serialization.unmarshal(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: campaign-monitor-api-key}
            stringData: {apiKey: example-api-key}
            """,
            HasMetadata.class),
        Serialization.unmarshal(
            """
            apiVersion: cloudelements.io/v1alpha1
            kind: CampaignMonitorInstance
            metadata: {name: %s}
            spec:
              credentialsRef: {name: cloud-elements-account}
              basic:
                apiKeyRef: {name: campaign-monitor-api-key, key: apiKey}
              events:
                enabled: true
                callbackUrl: https://hooks.example.com/campaign-monitor
                listIds: [a1b2c3]
              deletionPolicy: Delete
            """
                .formatted(NAME),
            CampaignMonitorInstance.class));
  }
}
