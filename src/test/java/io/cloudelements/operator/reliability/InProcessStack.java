package io.cloudelements.operator.reliability;

import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.reconciler.OwnershipTag;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.runtime.OperatorRuntime;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatedInstance;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The unchanged operator ({@link OperatorFactory}) in this JVM, connected over real HTTP to an
 * {@link EmbeddedKubernetes}
 * (optionally through a {@link TcpProxy} that a test can cut) and to a {@link CloudElementsSimulator}, with the
 * timings each suite needs. The operator's own Kubernetes client sends the bearer token {@link #OPERATOR_TOKEN}, so
 * that an interceptor can tell its calls from the test's. Every log line is captured at DEBUG for the leak scan.
 *
 * <p>{@code it.OperatorHarness} has one fixed configuration (2 s resync, 2 s backoff cap); these suites need others
 * (a 10 min resync so that drift checks do not blur request counts, a proxy, a meter registry), hence this class.
 */
public final class InProcessStack implements AutoCloseable {

  public static final String OPERATOR_TOKEN = "operator-sa-token";
  public static final String USER_SECRET = "canary-user-" + UUID.randomUUID();
  public static final String ORG_SECRET = "canary-org-" + UUID.randomUUID();

  private final String namespace;
  private final EmbeddedKubernetes kubernetes;
  private final CloudElementsSimulator simulator;
  private final TcpProxy proxy;
  private final KubernetesClient operatorClient;
  private final Operator operator;
  private final OperatorRuntime runtime;
  private final LogCapture logs;
  private final List<String> canaries = new CopyOnWriteArrayList<>(List.of(USER_SECRET, ORG_SECRET));
  private final OperatorConfig config;

  /** Settings of a stack. */
  public static final class Builder {
    private String namespace = "rel";
    private Duration requestTimeout = Duration.ofSeconds(2);
    private Duration retryInitialDelay = Duration.ofMillis(200);
    private Duration retryMaxDelay = Duration.ofSeconds(2);
    private Duration resyncInterval = Duration.ofMinutes(10);
    private Set<String> watchNamespaces = Set.of();
    private boolean viaProxy;
    private MeterRegistry meterRegistry;
    private String leaseNamespace;
    private java.util.function.Consumer<EmbeddedKubernetes> beforeOperatorStart = k -> { };
    private java.util.function.UnaryOperator<ConfigBuilder> clientConfig = b -> b;

    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.retryInitialDelay = initial;
      this.retryMaxDelay = max;
      return this;
    }

    public Builder resync(Duration value) {
      this.resyncInterval = value;
      return this;
    }

    public Builder watchNamespaces(Set<String> value) {
      this.watchNamespaces = value;
      return this;
    }

    /** The operator reaches the API server through a {@link TcpProxy} the test can cut and restore. */
    public Builder viaProxy() {
      this.viaProxy = true;
      return this;
    }

    public Builder metrics(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Runs the operator as the jar's {@code run} command does ({@link OperatorRuntime}): Prometheus metrics, the
     * management server on a free loopback port, and leader election with a Lease in {@code leaseNamespace}.
     */
    public Builder asRuntimeWithLeaderElection(String leaseNamespace) {
      this.leaseNamespace = leaseNamespace;
      return this;
    }

    /** Runs before the operator starts, e.g. to install an interceptor that must see its first call. */
    public Builder beforeOperatorStart(java.util.function.Consumer<EmbeddedKubernetes> action) {
      this.beforeOperatorStart = action;
      return this;
    }

    /** Adjusts the operator's Kubernetes client configuration (e.g. watch reconnect timings). */
    public Builder clientConfig(UnaryOperator<ConfigBuilder> adjust) {
      this.clientConfig = adjust;
      return this;
    }

    public InProcessStack start() {
      return new InProcessStack(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private InProcessStack(Builder b) {
    this.namespace = b.namespace;
    this.logs = LogCapture.start("io.cloudelements", "io.cloudelements.operator", "io.javaoperatorsdk");
    this.kubernetes = EmbeddedKubernetes.start();
    this.simulator = CloudElementsSimulator.start(SimulatorOptions.defaults().withSecrets(USER_SECRET, ORG_SECRET));
    this.proxy = b.viaProxy ? TcpProxy.start(URI.create(kubernetes.url()).getPort()) : null;
    String apiServer = proxy == null ? kubernetes.url() : "http://127.0.0.1:" + proxy.port() + "/";
    OperatorConfig base = new OperatorConfig(URI.create(simulator.baseUrl()), true, b.watchNamespaces,
        b.requestTimeout, b.retryInitialDelay, b.retryMaxDelay, b.resyncInterval);
    this.config = b.leaseNamespace == null ? base : base.withManagementPort(0).withLeaderElection(b.leaseNamespace);
    Config clientConfig = b.clientConfig.apply(new ConfigBuilder(Config.empty())
        .withMasterUrl(apiServer)
        .withTrustCerts(true)
        .withHttp2Disable(true)
        .withNamespace(namespace)
        .withOauthToken(OPERATOR_TOKEN)).build();
    this.operatorClient = OperatorFactory.kubernetesClient(clientConfig);
    b.beforeOperatorStart.accept(kubernetes);
    if (b.leaseNamespace != null) {
      kubernetes.dispatcher().intercept(InProcessStack::leaseRulesReview);
      this.runtime = OperatorFactory.builder(operatorClient, config).identity("reliability-test")
          .bindAddress(java.net.InetAddress.getLoopbackAddress()).buildRuntime();
      this.operator = runtime.operator();
      runtime.start();
    } else {
      this.runtime = null;
      this.operator = OperatorFactory.builder(operatorClient, config).meterRegistry(b.meterRegistry).build();
      operator.start();
    }
  }

  /**
   * The CRUD mock refuses the SelfSubjectRulesReview that JOSDK's leader election posts before it starts (it has no
   * name): answer it with the rights on Leases that leader election needs. A test may answer it first.
   */
  private static io.fabric8.mockwebserver.http.MockResponse leaseRulesReview(
      io.fabric8.mockwebserver.http.RecordedRequest request) {
    if (!"POST".equals(request.getMethod()) || !request.getPath().contains("/selfsubjectrulesreviews")) {
      return null;
    }
    var review = Serialization.unmarshal(ApiCall.body(request),
        io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview.class);
    review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder()
        .withIncomplete(false)
        .withResourceRules(new io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder()
            .withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("get", "create", "update", "patch").build())
        .build());
    return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(201)
        .setHeader("Content-Type", "application/json").setBody(Serialization.asJson(review));
  }

  /** The runtime, when started {@link Builder#asRuntimeWithLeaderElection as one}. */
  public OperatorRuntime runtime() {
    if (runtime == null) {
      throw new IllegalStateException("started without asRuntimeWithLeaderElection()");
    }
    return runtime;
  }

  public String namespace() {
    return namespace;
  }

  public OperatorConfig config() {
    return config;
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  public CloudElementsSimulator simulator() {
    return simulator;
  }

  public TcpProxy proxy() {
    if (proxy == null) {
      throw new IllegalStateException("started without viaProxy()");
    }
    return proxy;
  }

  public LogCapture logs() {
    return logs;
  }

  // --- secrets and resources -----------------------------------------------------------------------------------

  /** A unique secret value, remembered for the leak scan. */
  public String canary(String what) {
    String value = "canary-" + what + "-" + UUID.randomUUID();
    canaries.add(value);
    return value;
  }

  /** Every secret handed to the operator and every token the simulator issued. */
  public List<String> secretValues() {
    List<String> all = new ArrayList<>(canaries);
    all.addAll(simulator.issuedTokens());
    return all;
  }

  public void createSecret(String name, Map<String, String> values) {
    client().secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withStringData(values).build()).create();
  }

  /** The account Secret the simulator accepts. */
  public void credentials(String name) {
    createSecret(name, Map.of("userSecret", USER_SECRET, "organizationSecret", ORG_SECRET));
  }

  public CampaignMonitorInstance apply(String yaml) {
    CampaignMonitorInstance cr = Serialization.unmarshal(yaml, CampaignMonitorInstance.class);
    cr.getMetadata().setNamespace(namespace);
    return client().resources(CampaignMonitorInstance.class).inNamespace(namespace).resource(cr).create();
  }

  public CampaignMonitorInstance edit(String name, UnaryOperator<CampaignMonitorInstance> change) {
    return client().resources(CampaignMonitorInstance.class).inNamespace(namespace).withName(name).edit(change);
  }

  public void delete(String name) {
    client().resources(CampaignMonitorInstance.class).inNamespace(namespace).withName(name).delete();
  }

  public CampaignMonitorInstance get(String name) {
    return client().resources(CampaignMonitorInstance.class).inNamespace(namespace).withName(name).get();
  }

  public List<CampaignMonitorInstance> all() {
    return client().resources(CampaignMonitorInstance.class).inNamespace(namespace).list().getItems();
  }

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(client().secrets().inNamespace(namespace).withName(name).get());
  }

  public Optional<Condition> condition(String name, String type) {
    CampaignMonitorInstance cr = get(name);
    return cr == null || cr.getStatus() == null ? Optional.empty() : cr.getStatus().condition(type);
  }

  public String reason(String name) {
    return condition(name, "Ready").map(Condition::getReason).orElse("");
  }

  public CampaignMonitorInstance awaitReason(String name, String reason, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> reason(name), reason::equals);
    return get(name);
  }

  public void awaitGone(String name, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> get(name) == null);
  }

  /** The remote instances that carry the resource's ownership tag. */
  public List<SimulatedInstance> remoteOf(CampaignMonitorInstance cr) {
    String tag = OwnershipTag.of(cr);
    return simulator.instances().stream().filter(i -> i.tags().contains(tag)).toList();
  }

  public List<Event> events() {
    return client().v1().events().inNamespace(namespace).list().getItems();
  }

  /** What a person or a tool can read, by source: logs, Events, every resource, the simulator's request log. */
  public Map<String, String> visible() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("operator logs (DEBUG, with exceptions)", logs.text());
    StringBuilder events = new StringBuilder();
    client().v1().events().inAnyNamespace().list().getItems()
        .forEach(e -> events.append(Serialization.asJson(e)).append('\n'));
    sources.put("Events", events.toString());
    StringBuilder resources = new StringBuilder();
    client().resources(CampaignMonitorInstance.class).inAnyNamespace().list().getItems()
        .forEach(cr -> resources.append(Serialization.asJson(cr)).append('\n'));
    sources.put("CampaignMonitorInstances (spec, metadata and status)", resources.toString());
    StringBuilder others = new StringBuilder();
    client().configMaps().inAnyNamespace().list().getItems().forEach(c -> others.append(Serialization.asJson(c)));
    client().leases().inAnyNamespace().list().getItems().forEach(l -> others.append(Serialization.asJson(l)));
    sources.put("ConfigMaps and Leases", others.toString());
    StringBuilder requests = new StringBuilder();
    simulator.requests().forEach(r -> requests.append(r).append(' ').append(r.tags()).append('\n'));
    sources.put("Cloud Elements request log", requests.toString());
    return sources;
  }

  @Override
  public void close() {
    try {
      if (runtime != null) {
        runtime.close();
      } else {
        operator.stop();
      }
    } catch (RuntimeException e) {
      // stopping is best effort
    }
    operatorClient.close();
    if (proxy != null) {
      proxy.close();
    }
    simulator.close();
    kubernetes.close();
    logs.close();
    try {
      java.nio.file.Path dir = java.nio.file.Files.createDirectories(
          java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "reliability"));
      java.nio.file.Files.writeString(dir.resolve(namespace + "-operator.log"), logs.text());
    } catch (java.io.IOException e) {
      // the log file is a convenience
    }
  }
}
