package io.cloudelements.operator.it;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.Condition;
import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.embedded.EmbeddedKubernetes;
import io.cloudelements.operator.runtime.OperatorFactory;
import io.cloudelements.operator.simulator.CloudElementsSimulator;
import io.cloudelements.operator.simulator.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The real operator connected over HTTP to an embedded Kubernetes API (Fabric8 CRUD mock server) and to the
 * Cloud Elements simulator, with every log line captured at DEBUG.
 */
public final class OperatorHarness implements AutoCloseable {

  public static final String NAMESPACE = "team-a";
  /** Short, so that tests can watch drift repair happen. */
  public static final Duration RESYNC = Duration.ofSeconds(2);
  public static final String USER_SECRET = "canary-user-" + UUID.randomUUID();
  public static final String ORG_SECRET = "canary-org-" + UUID.randomUUID();

  private final EmbeddedKubernetes kubernetes;
  private final CloudElementsSimulator simulator;
  private final KubernetesClient operatorClient;
  private final Operator operator;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> canaries = new java.util.concurrent.CopyOnWriteArrayList<>(
      List.of(USER_SECRET, ORG_SECRET));

  private OperatorHarness() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ((Logger) LoggerFactory.getLogger("io.cloudelements")).setLevel(Level.DEBUG);
    ((Logger) LoggerFactory.getLogger("io.cloudelements.operator")).setLevel(Level.DEBUG);
    ((Logger) LoggerFactory.getLogger("io.javaoperatorsdk")).setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    kubernetes = EmbeddedKubernetes.start();
    simulator = CloudElementsSimulator.start(SimulatorOptions.defaults().withSecrets(USER_SECRET, ORG_SECRET));
    OperatorConfig config = new OperatorConfig(URI.create(simulator.baseUrl()), true, Set.of(),
        Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2), RESYNC);
    operatorClient = kubernetes.newClient();
    operator = OperatorFactory.builder(operatorClient, config).build();
    operator.start();
  }

  public static OperatorHarness start() {
    return new OperatorHarness();
  }

  /** A unique secret value, remembered so that the leak scan can look for it. */
  public String canary(String what) {
    String value = "canary-" + what + "-" + UUID.randomUUID();
    canaries.add(value);
    return value;
  }

  /** Every secret value handed to the operator, and every token the simulator issued. */
  public List<String> secretValues() {
    List<String> all = new java.util.ArrayList<>(canaries);
    simulator.instances().forEach(i -> all.add(i.token()));
    return all;
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public CloudElementsSimulator simulator() {
    return simulator;
  }

  public void createSecret(String name, Map<String, String> values) {
    client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withStringData(values).build()).create();
  }

  public void credentials(String name) {
    createSecret(name, Map.of("userSecret", USER_SECRET, "organizationSecret", ORG_SECRET));
  }

  public CampaignMonitorInstance apply(String yaml) {
    CampaignMonitorInstance cr = Serialization.unmarshal(yaml, CampaignMonitorInstance.class);
    cr.getMetadata().setNamespace(NAMESPACE);
    return client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).resource(cr).create();
  }

  public CampaignMonitorInstance edit(String name, java.util.function.UnaryOperator<CampaignMonitorInstance> change) {
    return client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).withName(name).edit(change);
  }

  public void delete(String name) {
    client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).withName(name).delete();
  }

  public void awaitGone(String name) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> get(name) == null);
  }

  public CampaignMonitorInstance get(String name) {
    return client().resources(CampaignMonitorInstance.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(client().secrets().inNamespace(NAMESPACE).withName(name).get());
  }

  public Optional<Condition> condition(String name, String type) {
    CampaignMonitorInstance cr = get(name);
    return cr == null || cr.getStatus() == null ? Optional.empty() : cr.getStatus().condition(type);
  }

  /** Waits until the Ready condition has the given reason, and returns the resource. */
  public CampaignMonitorInstance awaitReason(String name, String reason) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(
        () -> condition(name, "Ready").map(Condition::getReason).orElse(""), reason::equals);
    return get(name);
  }

  public List<Event> events() {
    return client().v1().events().inNamespace(NAMESPACE).list().getItems();
  }

  public List<String> eventReasons(String name) {
    return events().stream().filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason).collect(Collectors.toList());
  }

  /** Everything the operator wrote that a person or a tool can read: logs, Events and every status. */
  public String everythingVisible() {
    StringBuilder all = new StringBuilder();
    synchronized (logs.list) {
      for (ILoggingEvent e : logs.list) {
        all.append(e.getFormattedMessage()).append('\n');
        if (e.getThrowableProxy() != null) {
          all.append(e.getThrowableProxy().getMessage()).append('\n');
        }
        all.append(e.getMDCPropertyMap()).append('\n');
      }
    }
    events().forEach(e -> all.append(e.getReason()).append(' ').append(e.getMessage()).append('\n'));
    client().resources(CampaignMonitorInstance.class).inAnyNamespace().list().getItems()
        .forEach(cr -> all.append(Serialization.asJson(cr.getStatus())).append('\n'));
    return all.toString();
  }

  @Override
  public void close() {
    operator.stop();
    operatorClient.close();
    simulator.close();
    kubernetes.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }
}
