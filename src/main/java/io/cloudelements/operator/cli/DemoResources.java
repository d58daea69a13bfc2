package io.cloudelements.operator.cli;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's resources in the embedded API: loading, applying and reading them. */
final class DemoResources {

  static final String NAMESPACE = "default";
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private DemoResources() {}

  /** An OAuth resource that names no code, with the Secrets of examples/oauth.yaml. */
  static CampaignMonitorInstance consentResource(String name, String callbackUrl) {
    return Serialization.unmarshal(
        """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %s
          namespace: %s
        spec:
          credentialsRef: {name: cloud-elements-account}
          oauth:
            callbackUrl: %s
            consumerKeyRef: {name: campaign-monitor-app, key: consumerKey}
            consumerSecretRef: {name: campaign-monitor-app, key: consumerSecret}
        """
            .formatted(name, NAMESPACE, callbackUrl),
        CampaignMonitorInstance.class);
  }

  static String reason(KubernetesClient client, String name) {
    CampaignMonitorInstance cr = get(client, name);
    return cr == null || cr.getStatus() == null
        ? ""
        : cr.getStatus().condition("Ready").map(Condition::getReason).orElse("");
  }

  /**
   * Creates or updates; a conflict (the operator may be adding its finalizer to a shared Secret) is
   * retried. Like kubectl apply it records what was applied in the last-applied annotation, so that
   * a later kubectl apply of the same example merges with it.
   */
  static void apply(KubernetesClient client, HasMetadata object) {
    Map<String, String> annotations =
        new LinkedHashMap<>(
            Optional.ofNullable(object.getMetadata().getAnnotations()).orElse(Map.of()));
    annotations.put(LAST_APPLIED, Serialization.asJson(object));
    object.getMetadata().setAnnotations(annotations);
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(object).createOr(NonDeletingOperation::update);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
      }
    }
  }

  static CampaignMonitorInstance get(KubernetesClient client, String name) {
    return client
        .resources(CampaignMonitorInstance.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .get();
  }

  static boolean ready(KubernetesClient client, String name) {
    CampaignMonitorInstance cr = get(client, name);
    return cr != null
        && cr.getStatus() != null
        && cr.getStatus().condition("Ready").map(Condition::isTrue).orElse(false);
  }

  /** The objects of a YAML file packed into the jar, one or a list. */
  static List<HasMetadata> load(String resource) throws IOException {
    try (InputStream in = DemoResources.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new DemoCommand.StepFailed(resource + " is missing from the jar");
      }
      Object parsed = Serialization.unmarshal(in);
      List<HasMetadata> objects = new ArrayList<>();
      if (parsed instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else {
        objects.add((HasMetadata) parsed);
      }
      return objects;
    }
  }
}
