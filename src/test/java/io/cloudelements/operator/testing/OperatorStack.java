package io.cloudelements.operator.testing;

import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.consent.OAuthConsent;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.embedded.LeaseAccess;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one test stack: an {@link EmbeddedKubernetes} and a {@link CloudElementsSimulator} over real
 * HTTP, and the unchanged operator in this JVM (optionally through a {@link TcpProxy} that a test
 * can cut), with the timings each suite needs. The operator's Kubernetes client sends the bearer
 * token {@link #OPERATOR_TOKEN}, so that an interceptor can tell its calls from the test's. Every
 * log line is captured at DEBUG for the leak scan.
 *
 * <p>{@link Builder#withoutOperator()} starts only the API server and the simulator, for tests that
 * start {@link #newRuntime runtimes} themselves. The operator is built in one place: {@link
 * #createOperator} and {@link #createRuntime}.
 */
public final class OperatorStack implements AutoCloseable {

  public static final String OPERATOR_TOKEN = "operator-sa-token";

  private final String namespace;
  private final EmbeddedKubernetes kubernetes;
  private final CloudElementsSimulator simulator;
  private final TcpProxy proxy;
  private final KubernetesClient operatorClient;
  private final Operator operator;
  private final OperatorRuntime runtime;
  private final LogCapture logs;
  private final Canaries canaries = new Canaries();
  private final List<String> madeByTheOperator = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final OperatorConfig config;

  /** The OAuth consent of the plain operator (the runtime has its own); null without one. */
  private final OAuthConsent consent;

  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  /** Settings of a stack. */
  public static final class Builder {
    private String namespace = "team-a";
    private Duration requestTimeout = Duration.ofSeconds(2);
    private Duration retryInitialDelay = Duration.ofMillis(200);
    private Duration retryMaxDelay = Duration.ofSeconds(2);
    private Duration resyncInterval = Duration.ofSeconds(2);
    private Set<String> watchNamespaces = Set.of();
    private boolean viaProxy;
    private boolean withOperator = true;
    private MeterRegistry meterRegistry;
    private String leaseNamespace;
    private Consumer<EmbeddedKubernetes> beforeOperatorStart = k -> {};
    private UnaryOperator<ConfigBuilder> clientConfig = b -> b;

    /** The namespace of the test's resources; {@code team-a} unless set. */
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

    /** 2 s unless set, so that tests can watch drift repair happen. */
    public Builder resync(Duration value) {
      this.resyncInterval = value;
      return this;
    }

    public Builder watchNamespaces(Set<String> value) {
      this.watchNamespaces = value;
      return this;
    }

    /**
     * The operator reaches the API server through a {@link TcpProxy} the test can cut and restore.
     */
    public Builder viaProxy() {
      this.viaProxy = true;
      return this;
    }

    public Builder metrics(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Runs the operator as the jar's {@code run} command does ({@link OperatorRuntime}): Prometheus
     * metrics, the management server on a free loopback port, and leader election with a Lease in
     * {@code leaseNamespace}.
     */
    public Builder asRuntimeWithLeaderElection(String leaseNamespace) {
      this.leaseNamespace = leaseNamespace;
      return this;
    }

    /** Starts no operator: the test starts its own with {@link OperatorStack#newRuntime}. */
    public Builder withoutOperator() {
      this.withOperator = false;
      return this;
    }

    /**
     * Runs before the operator starts, e.g. to install an interceptor that must see its first call.
     */
    public Builder beforeOperatorStart(Consumer<EmbeddedKubernetes> action) {
      this.beforeOperatorStart = action;
      return this;
    }

    /** Adjusts the operator's Kubernetes client configuration (e.g. watch reconnect timings). */
    public Builder clientConfig(UnaryOperator<ConfigBuilder> adjust) {
      this.clientConfig = adjust;
      return this;
    }

    public OperatorStack start() {
      return new OperatorStack(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private OperatorStack(Builder b) {
    this.namespace = b.namespace;
    this.logs =
        LogCapture.start("io.cloudelements", "io.cloudelements.operator", "io.javaoperatorsdk");
    this.kubernetes = EmbeddedKubernetes.start();
    this.simulator =
        CloudElementsSimulator.start(
            SimulatorOptions.defaults().withSecrets(Canaries.USER_SECRET, Canaries.ORG_SECRET));
    this.proxy = b.viaProxy ? TcpProxy.start(URI.create(kubernetes.url()).getPort()) : null;
    String apiServer = proxy == null ? kubernetes.url() : "http://127.0.0.1:" + proxy.port() + "/";
    OperatorConfig base =
        new OperatorConfig(
                URI.create(simulator.baseUrl()),
                true,
                b.watchNamespaces,
                b.requestTimeout,
                b.retryInitialDelay,
                b.retryMaxDelay,
                b.resyncInterval)
            .withOauthCallbackPort(0);
    OperatorConfig managed =
        b.leaseNamespace == null && b.withOperator ? base : base.withManagementPort(0);
    this.config = b.leaseNamespace == null ? managed : managed.withLeaderElection(b.leaseNamespace);
    b.beforeOperatorStart.accept(kubernetes);
    kubernetes.dispatcher().intercept(LeaseAccess::answer);
    if (!b.withOperator) {
      this.operatorClient = null;
      this.runtime = null;
      this.operator = null;
      this.consent = null;
      return;
    }
    Config clientConfig =
        b.clientConfig
            .apply(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl(apiServer)
                    .withTrustCerts(true)
                    .withHttp2Disable(true)
                    .withNamespace(namespace)
                    .withOauthToken(OPERATOR_TOKEN))
            .build();
    this.operatorClient = createClient(clientConfig);
    if (b.leaseNamespace != null) {
      this.runtime =
          createRuntime(
              operatorClient, runtimeConfig(config), "reliability-test", UnaryOperator.identity());
      this.operator = runtime.operator();
      this.consent = null;
      runtime.start();
    } else {
      this.runtime = null;
      OperatorFactory factory =
          OperatorFactory.builder(operatorClient, config).meterRegistry(b.meterRegistry);
      this.operator = factory.build();
      this.consent = factory.oauthConsent();
      consent.startCallback(InetAddress.getLoopbackAddress(), b.meterRegistry);
      operator.start();
    }
  }

  // --- the one place that builds the operator
  // ------------------------------------------------------------------

  private static KubernetesClient createClient(Config clientConfig) {
    return OperatorFactory.kubernetesClient(clientConfig);
  }

  private static Operator createOperator(
      KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
    return OperatorFactory.builder(client, config).meterRegistry(registry).build();
  }

  /** A runtime with its identity and a loopback management server, then {@code options}. */
  private static OperatorRuntime createRuntime(
      KubernetesClient client,
      OperatorConfig config,
      String identity,
      UnaryOperator<OperatorFactory> options) {
    OperatorFactory factory =
        OperatorFactory.builder(client, config)
            .identity(identity)
            .bindAddress(InetAddress.getLoopbackAddress());
    return options.apply(factory).buildRuntime();
  }

  /** A runtime's settings: a 3 s termination timeout, so that tests stop quickly. */
  private static OperatorConfig runtimeConfig(OperatorConfig config) {
    return config.withTerminationTimeout(Duration.ofSeconds(3));
  }

  /**
   * A new runtime, not started, on a new client (closed with the stack), with this stack's settings
   * (the management server on a free port) changed by {@code settings}, and the factory changed by
   * {@code options}.
   */
  public OperatorRuntime newRuntime(
      String identity,
      UnaryOperator<OperatorConfig> settings,
      UnaryOperator<OperatorFactory> options) {
    return createRuntime(newClient(), settings.apply(runtimeConfig(config)), identity, options);
  }

  /**
   * A new operator, not started, on a new client (closed with the stack), with this stack's
   * settings.
   */
  public Operator newOperator() {
    return createOperator(newClient(), config, null);
  }

  /** The port of the operator's OAuth callback endpoint, on the loopback interface. */
  public int callbackPort() {
    return consent != null ? consent.callbackPort() : runtime().oauthCallbackPort();
  }

  /**
   * The loopback URL of the operator's OAuth callback endpoint, as spec.oauth.callbackUrl names it.
   */
  public String callbackUrl() {
    return "http://127.0.0.1:" + callbackPort() + "/oauth/callback";
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

  /** A client for setting up and inspecting state. */
  public KubernetesClient client() {
    return kubernetes.client();
  }

  /** A new client, e.g. for an operator the test starts; closed with the stack. */
  public KubernetesClient newClient() {
    KubernetesClient client = kubernetes.newClient();
    clients.add(client);
    return client;
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

  // --- secrets and resources
  // -----------------------------------------------------------------------------------

  /** A unique secret value, remembered for the leak scan. */
  public String canary(String what) {
    return canaries.next(what);
  }

  /** A secret value the operator made (a generated webhook signature key), for the leak scan. */
  public void remember(String secretValue) {
    madeByTheOperator.add(secretValue);
  }

  /**
   * Every secret handed to the operator, every token the simulator issued, every webhook signature
   * key an instance holds now, and each one {@link #remember remembered}.
   */
  public List<String> secretValues() {
    List<String> all = new ArrayList<>(canaries.all());
    all.addAll(simulator.issuedTokens());
    simulator
        .instances()
        .forEach(
            i -> {
              if (i.configuration().get("event.notification.signature.key") instanceof String key
                  && !key.isEmpty()) {
                all.add(key);
              }
            });
    all.addAll(madeByTheOperator);
    return all;
  }

  public void createSecret(String name, Map<String, String> values) {
    client()
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(values)
                .build())
        .create();
  }

  /** The account Secret the simulator accepts. */
  public void credentials(String name) {
    createSecret(
        name,
        Map.of("userSecret", Canaries.USER_SECRET, "organizationSecret", Canaries.ORG_SECRET));
  }

  /**
   * The Secrets of {@link InstanceYaml#basic}: {@code <prefix>-account} and {@code <prefix>-key}.
   */
  public void basicSecrets(String prefix) {
    credentials(prefix + "-account");
    createSecret(prefix + "-key", Map.of("apiKey", canary("apikey")));
  }

  /**
   * The Secrets of {@link InstanceYaml#oauth}: {@code <prefix>-account}, {@code -app} and {@code
   * -grant}.
   */
  public void oauthSecrets(String prefix, String code) {
    credentials(prefix + "-account");
    createSecret(
        prefix + "-app", Map.of("consumerKey", canary("ck"), "consumerSecret", canary("cs")));
    createSecret(prefix + "-grant", Map.of("code", code));
  }

  /** Its Secrets and a basic-auth resource, all named after {@code name}. */
  public CampaignMonitorInstance applyBasic(String name) {
    basicSecrets(name);
    return apply(InstanceYaml.basic(name, name, ""));
  }

  public CampaignMonitorInstance apply(String yaml) {
    CampaignMonitorInstance cr = Serialization.unmarshal(yaml, CampaignMonitorInstance.class);
    cr.getMetadata().setNamespace(namespace);
    return client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(namespace)
        .resource(cr)
        .create();
  }

  public CampaignMonitorInstance edit(String name, UnaryOperator<CampaignMonitorInstance> change) {
    return client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(change);
  }

  public void delete(String name) {
    client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }

  public CampaignMonitorInstance get(String name) {
    return client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  public List<CampaignMonitorInstance> all() {
    return client()
        .resources(CampaignMonitorInstance.class)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(client().secrets().inNamespace(namespace).withName(name).get());
  }

  public Optional<Condition> condition(String name, String type) {
    CampaignMonitorInstance cr = get(name);
    return cr == null || cr.getStatus() == null ? Optional.empty() : cr.getStatus().condition(type);
  }

  /** The Ready condition's reason, empty while there is none. */
  public String reason(String name) {
    return condition(name, "Ready").map(Condition::getReason).orElse("");
  }

  /** Waits up to 30 s until the Ready condition has the given reason, and returns the resource. */
  public CampaignMonitorInstance awaitReason(String name, String reason) {
    return awaitReason(name, reason, Duration.ofSeconds(30));
  }

  public CampaignMonitorInstance awaitReason(String name, String reason, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> reason(name), reason::equals);
    return get(name);
  }

  /** Waits up to 30 s until the resource is gone. */
  public void awaitGone(String name) {
    awaitGone(name, Duration.ofSeconds(30));
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

  /** The reasons of the Events about the named resource, oldest first. */
  public List<String> eventReasons(String name) {
    return events().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  /**
   * What a person or a tool can read, by source: logs, Events, every resource, the simulator's
   * request log.
   */
  public Map<String, String> visible() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("operator logs (DEBUG, with exceptions)", logs.text());
    StringBuilder events = new StringBuilder();
    client()
        .v1()
        .events()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> events.append(Serialization.asJson(e)).append('\n'));
    sources.put("Events", events.toString());
    StringBuilder resources = new StringBuilder();
    client()
        .resources(CampaignMonitorInstance.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(cr -> resources.append(Serialization.asJson(cr)).append('\n'));
    sources.put("CampaignMonitorInstances (spec, metadata and status)", resources.toString());
    StringBuilder others = new StringBuilder();
    client()
        .configMaps()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(c -> others.append(Serialization.asJson(c)));
    client()
        .leases()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(l -> others.append(Serialization.asJson(l)));
    sources.put("ConfigMaps and Leases", others.toString());
    StringBuilder requests = new StringBuilder();
    simulator.requests().forEach(r -> requests.append(r).append(' ').append(r.tags()).append('\n'));
    sources.put("Cloud Elements request log", requests.toString());
    return sources;
  }

  /** All of {@link #visible()} as one text. */
  public String everythingVisible() {
    return String.join("\n", visible().values());
  }

  @Override
  public void close() {
    try {
      if (runtime != null) {
        runtime.close();
      } else if (operator != null) {
        consent.close();
        operator.stop();
      }
    } catch (RuntimeException e) {
      // stopping is best effort
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    clients.forEach(KubernetesClient::close);
    if (proxy != null) {
      proxy.close();
    }
    simulator.close();
    kubernetes.close();
    logs.close();
    try {
      Path dir =
          Files.createDirectories(
              Path.of(System.getProperty("basedir", "."), "target", "reliability"));
      Files.writeString(dir.resolve(namespace + "-operator.log"), logs.text());
    } catch (IOException e) {
      // the log file is a convenience
    }
  }
}
