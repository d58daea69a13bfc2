package io.cloudelements.operator.bench;

import io.cloudelements.operator.api.BasicAuthSpec;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceSpec;
import io.cloudelements.operator.api.LocalSecretReference;
import io.cloudelements.operator.api.SecretKeyReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The objects a benchmark applies: one credentials Secret and one API key Secret shared by N
 * resources.
 */
final class BenchResources {

  static final String NAMESPACE = "bench";
  static final String WARMUP_NAMESPACE = "bench-warmup";
  static final String STARTUP_NAMESPACE = "bench-startup";
  static final String CREDENTIALS = "bench-account";
  static final String API_KEY = "bench-api-key";
  static final String USER_SECRET = "user-secret";
  static final String ORGANIZATION_SECRET = "org-secret";

  private BenchResources() {}

  static String name(int i) {
    return String.format(Locale.ROOT, "bench-%05d", i);
  }

  static List<Secret> inputSecrets() {
    return inputSecrets(NAMESPACE);
  }

  static List<Secret> inputSecrets(String namespace) {
    return List.of(
        new SecretBuilder()
            .withNewMetadata()
            .withName(CREDENTIALS)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(
                Map.of("userSecret", USER_SECRET, "organizationSecret", ORGANIZATION_SECRET))
            .build(),
        new SecretBuilder()
            .withNewMetadata()
            .withName(API_KEY)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(Map.of("apiKey", "bench-api-key-value"))
            .build());
  }

  /**
   * A resource authorized with the shared API key (basic): no single-use OAuth code per resource is
   * needed.
   */
  static CampaignMonitorInstance resource(String name) {
    return resource(NAMESPACE, name);
  }

  static CampaignMonitorInstance resource(String namespace, String name) {
    CampaignMonitorInstance cr = new CampaignMonitorInstance();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    CampaignMonitorInstanceSpec spec = new CampaignMonitorInstanceSpec();
    spec.setCredentialsRef(new LocalSecretReference(CREDENTIALS));
    BasicAuthSpec basic = new BasicAuthSpec();
    basic.setApiKeyRef(new SecretKeyReference(API_KEY, "apiKey"));
    spec.setBasic(basic);
    spec.setTags(List.of("bench"));
    cr.setSpec(spec);
    return cr;
  }
}
