package io.cloudelements.operator.runtime;

import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** An embedded Kubernetes API and a Cloud Elements simulator, with helpers for resources and HTTP. */
final class TestStack implements AutoCloseable {

  static final String NAMESPACE = "team-a";
  static final String USER_SECRET = "canary-user-" + UUID.randomUUID();
  static final String ORG_SECRET = "canary-org-" + UUID.randomUUID();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Quiets the mock server's line per request (java.util.logging); held so that the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesClient admin;
  private final Supplier<KubernetesClient> clientFactory;
  private final Runnable stopServer;
  private final String url;
  final CloudElementsSimulator simulator =
      CloudElementsSimulator.start(SimulatorOptions.defaults().withSecrets(USER_SECRET, ORG_SECRET));
  private final List<String> canaries = new CopyOnWriteArrayList<>(List.of(USER_SECRET, ORG_SECRET));
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  private TestStack(KubernetesClient admin, Supplier<KubernetesClient> clientFactory, Runnable stopServer) {
    this.admin = admin;
    this.url = admin.getConfiguration().getMasterUrl();
    this.clientFactory = clientFactory;
    this.stopServer = stopServer;
  }

  /** On {@link EmbeddedKubernetes}, the embedded demo's API server. */
  static TestStack embedded() {
    EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
    return new TestStack(kubernetes.client(), kubernetes::newClient, kubernetes::close);
  }

  /**
   * On the same CRUD mock, answering the {@code SelfSubjectRulesReview} that JOSDK's leader election posts: the
   * plain CRUD mock stores Leases, but refuses that review with 422.
   */
  static TestStack withLeaseAccess() {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new LeaseAccessDispatcher(), false);
    server.init();
    KubernetesClient admin = server.createClient(new JdkHttpClientFactory());
    admin.apiextensions().v1().customResourceDefinitions().resource(EmbeddedKubernetes.crd()).create();
    return new TestStack(admin, () -> server.createClient(new JdkHttpClientFactory()), () -> {
      admin.close();
      server.destroy();
    });
  }

  /** Fast settings against the simulator, the management server on a free port. */
  OperatorConfig config() {
    return new OperatorConfig(URI.create(simulator.baseUrl()), true, Set.of(), Duration.ofSeconds(2),
        Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1)).withManagementPort(0);
  }

  static OperatorFactory factory(KubernetesClient client, OperatorConfig config, String identity) {
    return OperatorFactory.builder(client, config.withTerminationTimeout(Duration.ofSeconds(3))).identity(identity)
        .bindAddress(InetAddress.getLoopbackAddress());
  }

  /** A new client for an operator; closed with the stack. */
  KubernetesClient newClient() {
    KubernetesClient client = clientFactory.get();
    clients.add(client);
    return client;
  }

  /** The Kubernetes API's URL. */
  String url() {
    return url;
  }

  KubernetesClient client() {
    return admin;
  }

  /** Credentials, an API key Secret and a basic-auth resource named {@code name}. */
  void applyBasic(String name) {
    String key = "canary-apikey-" + UUID.randomUUID();
    canaries.add(key);
    secret(name + "-key", Map.of("apiKey", key));
    applyBasicWithoutKey(name);
  }

  /** Credentials and a basic-auth resource whose API key Secret does not exist: it waits for it. */
  void applyBasicWithoutKey(String name) {
    secret(name + "-account", Map.of("userSecret", USER_SECRET, "organizationSecret", ORG_SECRET));
    CampaignMonitorInstance cr = Serialization.unmarshal("""
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata:
          name: %1$s
        spec:
          credentialsRef: {name: %1$s-account}
          basic:
            apiKeyRef: {name: %1$s-key, key: apiKey}
        """.formatted(name), CampaignMonitorInstance.class);
    cr.getMetadata().setNamespace(NAMESPACE);
    client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).resource(cr).create();
  }

  private void secret(String name, Map<String, String> values) {
    client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withStringData(values).build()).create();
  }

  String readyReason(String name) {
    CampaignMonitorInstance cr = client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE)
        .withName(name).get();
    return cr == null || cr.getStatus() == null ? "" : cr.getStatus().condition("Ready")
        .map(Condition::getReason).orElse("");
  }

  void awaitReason(String name, String reason) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> readyReason(name), reason::equals);
  }

  /** Every secret value given to the operator, and every token the simulator issued. */
  List<String> secretValues() {
    List<String> all = new ArrayList<>(canaries);
    simulator.instances().forEach(i -> all.add(i.token()));
    return all;
  }

  static HttpResponse<String> get(int port, String path) {
    return send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  static HttpResponse<String> send(int port, HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    simulator.close();
    stopServer.run();
  }
}
