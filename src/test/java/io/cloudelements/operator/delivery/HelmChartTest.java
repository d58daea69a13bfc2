package io.cloudelements.operator.delivery;

import static io.cloudelements.operator.delivery.HelmChart.NAMESPACE;
import static io.cloudelements.operator.delivery.HelmChart.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart, linted and rendered by real Helm with each value set of its ci/ directory, parsed
 * into typed Fabric8 objects with no unknown field, then checked: least-privilege RBAC in both
 * modes, pod security, probes, the operator's environment, HA, the ServiceMonitor and the
 * simulator.
 */
class HelmChartTest {

  static final String FULLNAME = "cmo-campaign-monitor-operator";
  static final List<String> VALUE_SETS =
      List.of("default", "watch-namespaces", "ha", "servicemonitor", "simulator", "custom");

  /**
   * What the operator does against the API server in a namespace it watches ("group/resource" ->
   * verbs).
   */
  static final Map<String, Set<String>> OPERATOR_RULES =
      Map.of(
          "cloudelements.io/campaignmonitorinstances", Set.of("get", "list", "watch", "patch"),
          "cloudelements.io/campaignmonitorinstances/status", Set.of("patch", "update"),
          "cloudelements.io/campaignmonitorinstances/finalizers", Set.of("update"),
          "/secrets", Set.of("get", "list", "watch", "create", "update", "patch"),
          "/events", Set.of("create", "patch"));

  static final Map<String, Set<String>> LEASE_RULES =
      Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch"));

  /**
   * The OAuth state key in the release namespace: create any Secret (create cannot be limited to a
   * name), get one.
   */
  static final Map<String, Set<String>> STATE_KEY_RULES =
      Map.of("/secrets", Set.of("create", "get"));

  static final String STATE_KEY_SECRET = "campaign-monitor-operator-oauth-state";

  static final Map<String, String> DEFAULT_ENV =
      new TreeMap<>(
          Map.ofEntries(
              entry("CLOUD_ELEMENTS_BASE_URL", "https://api.cloud-elements.com/elements/api-v2"),
              entry("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "false"),
              entry("CLOUD_ELEMENTS_TIMEOUT", "30s"),
              entry("WATCH_NAMESPACES", ""),
              entry("RETRY_INITIAL_DELAY", "1s"),
              entry("RETRY_MAX_DELAY", "5m"),
              entry("RESYNC_INTERVAL", "10m"),
              entry("MAX_CONCURRENT_RECONCILES", "40"),
              entry("MAX_CONCURRENT_REQUESTS", "20"),
              entry("LOG_FORMAT", "json"),
              entry("LEADER_ELECTION_ENABLED", "true"),
              entry("LEASE_NAME", FULLNAME),
              entry("MANAGEMENT_PORT", "8080"),
              entry("OAUTH_CALLBACK_PORT", "8081"),
              entry("CONSENT_TTL", "15m"),
              entry("POD_NAMESPACE", "fieldRef:metadata.namespace")));

  static Stream<String> valueSets() {
    return VALUE_SETS.stream();
  }

  // ------------------------------------------------------------------------------ lint and parse

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = HelmChart.lintStrict();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void rendersIntoTypedResourcesWithoutUnknownFields(String valueSet) {
    List<HasMetadata> resources = HelmChart.render(valueSet);
    assertThat(resources).isNotEmpty();
    for (HasMetadata r : resources) {
      assertThat(r.getMetadata().getName())
          .as(Manifests.identity(r))
          .hasSizeLessThanOrEqualTo(63)
          .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
      assertThat(r.getMetadata().getLabels())
          .as("labels of %s", Manifests.identity(r))
          .containsEntry("app.kubernetes.io/instance", RELEASE)
          .containsEntry("app.kubernetes.io/part-of", "campaign-monitor-operator")
          .containsKey("app.kubernetes.io/component");
    }
  }

  @Test
  void defaultsRenderExactlyTheseResources() {
    assertThat(Manifests.identities(HelmChart.render("default")))
        .containsExactly(
            "ClusterRole " + FULLNAME,
            "ClusterRoleBinding " + FULLNAME,
            "Deployment " + NAMESPACE + "/" + FULLNAME,
            "Role " + NAMESPACE + "/" + FULLNAME + "-leader-election",
            "Role " + NAMESPACE + "/" + FULLNAME + "-oauth-state",
            "RoleBinding " + NAMESPACE + "/" + FULLNAME + "-leader-election",
            "RoleBinding " + NAMESPACE + "/" + FULLNAME + "-oauth-state",
            "Service " + NAMESPACE + "/" + FULLNAME + "-metrics",
            "Service " + NAMESPACE + "/" + FULLNAME + "-oauth-callback",
            "ServiceAccount " + NAMESPACE + "/" + FULLNAME);
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void namespacedResourcesLiveInTheReleaseNamespaceExceptTheWatchedRoles(String valueSet) {
    List<HasMetadata> resources = HelmChart.render(valueSet);
    for (HasMetadata r : resources) {
      boolean clusterScoped = r instanceof ClusterRole || r instanceof ClusterRoleBinding;
      if (clusterScoped) {
        assertThat(r.getMetadata().getNamespace()).as(Manifests.identity(r)).isNull();
      } else if ((r instanceof Role || r instanceof RoleBinding)
          && !r.getMetadata().getName().endsWith("-leader-election")
          && !r.getMetadata().getName().endsWith("-oauth-state")) {
        assertThat(r.getMetadata().getNamespace())
            .as(Manifests.identity(r))
            .isIn("marketing", "sales");
      } else {
        assertThat(r.getMetadata().getNamespace()).as(Manifests.identity(r)).isEqualTo(NAMESPACE);
      }
    }
  }

  // ------------------------------------------------------------------------------ RBAC

  @Test
  void allNamespacesModeHasOneClusterRoleAndTheLeaseRoleOnlyInTheOwnNamespace() {
    List<HasMetadata> resources = HelmChart.render("default");

    ClusterRole clusterRole = Manifests.one(resources, ClusterRole.class, FULLNAME);
    assertThat(rules(clusterRole.getRules())).isEqualTo(new TreeMap<>(OPERATOR_RULES));
    ClusterRoleBinding binding = Manifests.one(resources, ClusterRoleBinding.class, FULLNAME);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertBoundToOperator(binding.getSubjects());

    assertThat(Manifests.all(resources, Role.class)).hasSize(2);
    assertStateKeyRole(resources);
    Role leases = Manifests.one(resources, Role.class, FULLNAME + "-leader-election");
    assertThat(leases.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(rules(leases.getRules())).isEqualTo(new TreeMap<>(LEASE_RULES));
    RoleBinding leaseBinding =
        Manifests.one(resources, RoleBinding.class, FULLNAME + "-leader-election");
    assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(leaseBinding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(leaseBinding.getRoleRef().getName()).isEqualTo(leases.getMetadata().getName());
    assertBoundToOperator(leaseBinding.getSubjects());
  }

  @Test
  void watchNamespacesModeHasRolesInExactlyThoseNamespacesAndNoClusterWideAccess() {
    List<HasMetadata> resources = HelmChart.render("watch-namespaces");

    assertThat(Manifests.all(resources, ClusterRole.class)).as("ClusterRoles").isEmpty();
    assertThat(Manifests.all(resources, ClusterRoleBinding.class))
        .as("ClusterRoleBindings")
        .isEmpty();

    Map<String, Map<String, Set<String>>> rulesByNamespace = new TreeMap<>();
    for (Role role : Manifests.all(resources, Role.class)) {
      rulesByNamespace.merge(
          role.getMetadata().getNamespace(),
          rules(role.getRules()),
          (a, b) -> {
            Map<String, Set<String>> merged = new TreeMap<>(a);
            b.forEach(
                (k, v) ->
                    merged.merge(
                        k,
                        v,
                        (x, y) -> {
                          Set<String> s = new TreeSet<>(x);
                          s.addAll(y);
                          return s;
                        }));
            return merged;
          });
    }
    assertThat(rulesByNamespace).containsOnlyKeys("marketing", "sales", NAMESPACE);
    assertThat(rulesByNamespace.get("marketing")).isEqualTo(new TreeMap<>(OPERATOR_RULES));
    assertThat(rulesByNamespace.get("sales")).isEqualTo(new TreeMap<>(OPERATOR_RULES));
    Map<String, Set<String>> own = new TreeMap<>(LEASE_RULES);
    own.putAll(STATE_KEY_RULES);
    assertThat(rulesByNamespace.get(NAMESPACE))
        .as("the release namespace gets the Lease and the state key only")
        .isEqualTo(own);
    assertStateKeyRole(resources);

    for (RoleBinding binding : Manifests.all(resources, RoleBinding.class)) {
      assertThat(binding.getRoleRef().getKind()).as(Manifests.identity(binding)).isEqualTo("Role");
      Role role =
          Manifests.all(resources, Role.class).stream()
              .filter(
                  r ->
                      r.getMetadata().getName().equals(binding.getRoleRef().getName())
                          && r.getMetadata()
                              .getNamespace()
                              .equals(binding.getMetadata().getNamespace()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Role for " + Manifests.identity(binding)));
      assertThat(role).isNotNull();
      assertBoundToOperator(binding.getSubjects());
    }
    assertThat(Manifests.all(resources, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("marketing", "sales", NAMESPACE, NAMESPACE);

    assertThat(env(operator(resources))).containsEntry("WATCH_NAMESPACES", "marketing,sales");
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void noRuleUsesWildcardsOrTouchesCrdsOrGrantsEscalation(String valueSet) {
    List<PolicyRule> all = new ArrayList<>();
    List<HasMetadata> resources = HelmChart.render(valueSet);
    Manifests.all(resources, ClusterRole.class).forEach(r -> all.addAll(r.getRules()));
    Manifests.all(resources, Role.class).forEach(r -> all.addAll(r.getRules()));
    assertThat(all).isNotEmpty();
    for (PolicyRule rule : all) {
      assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
      assertThat(rule.getResources())
          .doesNotContain("*", "customresourcedefinitions", "pods", "pods/exec");
      assertThat(rule.getApiGroups()).doesNotContain("*", "apiextensions.k8s.io");
      if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
        assertThat(rule.getResourceNames())
            .as("only the state key is named")
            .containsExactly(STATE_KEY_SECRET);
        assertThat(rule.getVerbs()).containsExactly("get");
      }
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }
  }

  @Test
  void noLeaseRoleWithoutLeaderElection() {
    List<HasMetadata> resources = HelmChart.render("custom");
    assertThat(Manifests.all(resources, Role.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("cmo-oauth-state");
    assertThat(Manifests.all(resources, RoleBinding.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("cmo-oauth-state");
    assertThat(env(operator(resources))).containsEntry("LEADER_ELECTION_ENABLED", "false");
  }

  // ------------------------------------------------------------------------------ pod security

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyPodIsLockedDown(String valueSet) {
    for (Deployment deployment : Manifests.all(HelmChart.render(valueSet), Deployment.class)) {
      String what = valueSet + ": " + Manifests.identity(deployment);
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(what).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(what).isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .as(what)
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(what).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as(what).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostIPC()).as(what).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getVolumes())
          .as(what)
          .allSatisfy(
              v -> assertThat(v.getHostPath()).as("hostPath volume " + v.getName()).isNull());
      assertThat(pod.getInitContainers()).as(what).isNullOrEmpty();
      for (Container c : pod.getContainers()) {
        var sc = c.getSecurityContext();
        assertThat(sc).as(what + " container " + c.getName()).isNotNull();
        assertThat(sc.getRunAsNonRoot()).as(what).isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).as(what).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).as(what).isFalse();
        assertThat(sc.getPrivileged()).as(what).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).as(what).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(what).isNullOrEmpty();
        assertThat(sc.getSeccompProfile().getType()).as(what).isEqualTo("RuntimeDefault");
        // The JVM writes to /tmp (perf data, temporary files): an emptyDir, since / is read-only.
        assertThat(c.getVolumeMounts())
            .as(what)
            .anySatisfy(
                m -> {
                  assertThat(m.getMountPath()).isEqualTo("/tmp");
                  assertThat(pod.getVolumes())
                      .anySatisfy(
                          v -> {
                            assertThat(v.getName()).isEqualTo(m.getName());
                            assertThat(v.getEmptyDir()).isNotNull();
                          });
                });
        assertThat(c.getResources().getRequests()).as(what).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(what).containsKey("memory");
      }
    }
  }

  // ------------------------------------------------------------------------------ operator pod

  @ParameterizedTest
  @MethodSource("valueSets")
  void probesUseHealthzAndReadyzOnTheManagementPort(String valueSet) {
    Container c = operator(HelmChart.render(valueSet));
    String port = env(c).get("MANAGEMENT_PORT");
    assertThat(c.getPorts())
        .filteredOn(p -> p.getName().equals("http-mgmt"))
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port)));
    assertThat(c.getPorts())
        .as("the OAuth callback has a port of its own")
        .filteredOn(p -> p.getName().equals("http-oauth"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getContainerPort())
                    .isEqualTo(Integer.parseInt(env(c).get("OAUTH_CALLBACK_PORT")))
                    .isNotEqualTo(Integer.parseInt(port)));
    assertHttpProbe(c.getLivenessProbe(), "/healthz");
    assertHttpProbe(c.getStartupProbe(), "/healthz");
    assertHttpProbe(c.getReadinessProbe(), "/readyz");
  }

  @Test
  void defaultEnvironmentIsTheOperatorsDefaults() {
    Deployment deployment = Manifests.one(HelmChart.render("default"), Deployment.class, FULLNAME);
    Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(c)).isEqualTo(DEFAULT_ENV);
    assertThat(c.getImage()).isEqualTo("campaign-monitor-operator:0.1.0");
    assertThat(c.getArgs()).as("the image's default command runs the operator").isNullOrEmpty();
    assertThat(c.getCommand()).isNullOrEmpty();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(FULLNAME);
  }

  @Test
  void everyValueReachesTheOperator() {
    List<HasMetadata> resources = HelmChart.render("custom");
    Deployment deployment = Manifests.one(resources, Deployment.class, "cmo");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    Map<String, String> expected = new TreeMap<>(DEFAULT_ENV);
    expected.putAll(
        Map.of(
            "MAX_CONCURRENT_REQUESTS",
            "8",
            "LEASE_NAME",
            "cmo-leader",
            "OAUTH_CALLBACK_PORT",
            "9091",
            "CONSENT_TTL",
            "5m"));
    expected.putAll(
        Map.of(
            "CLOUD_ELEMENTS_BASE_URL", "https://staging.cloud-elements.example.com/elements/api-v2",
            "CLOUD_ELEMENTS_TIMEOUT", "10s",
            "RETRY_INITIAL_DELAY", "500ms",
            "RETRY_MAX_DELAY", "2m",
            "RESYNC_INTERVAL", "1h",
            "MAX_CONCURRENT_RECONCILES", "4",
            "LOG_FORMAT", "text",
            "LEADER_ELECTION_ENABLED", "false",
            "MANAGEMENT_PORT", "9090",
            "JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"));
    assertThat(env(c)).isEqualTo(expected);
    assertThat(c.getImage())
        .isEqualTo(
            "registry.example.com/platform/campaign-monitor-operator@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("768Mi"));
    assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("regcred");
    assertThat(pod.getServiceAccountName()).isEqualTo("cmo-operator");
    assertThat(
            Manifests.one(resources, ServiceAccount.class, "cmo-operator")
                .getMetadata()
                .getAnnotations())
        .containsEntry("example.com/role", "operator");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/team", "platform");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("example.com/tier", "control");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(new IntOrString(0));
    Service metrics = Manifests.one(resources, Service.class, "cmo-metrics");
    assertThat(metrics.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(9090));
    assertThat(Manifests.all(resources, ClusterRoleBinding.class))
        .singleElement()
        .satisfies(
            b ->
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(s -> assertThat(s.getName()).isEqualTo("cmo-operator")));
  }

  // ------------------------------------------------------------------------------ OAuth callback

  @Test
  void theCallbackHasItsOwnPortServiceAndAnIngressForOnlyItsPath() {
    List<HasMetadata> resources = HelmChart.render("custom");
    Container c = operator(resources);
    assertThat(c.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(tuple("http-mgmt", 9090), tuple("http-oauth", 9091));
    Service callback = Manifests.one(resources, Service.class, "cmo-oauth-callback");
    assertThat(callback.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(80);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http-oauth");
            });
    Ingress ingress = Manifests.one(resources, Ingress.class, "cmo-oauth-callback");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getHosts()).containsExactly("operator.example.com");
              assertThat(t.getSecretName()).isEqualTo("operator-example-com-tls");
            });
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getHost()).isEqualTo("operator.example.com");
              assertThat(r.getHttp().getPaths())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.getPath()).isEqualTo("/oauth/callback");
                        assertThat(p.getPathType()).isEqualTo("Exact");
                        assertThat(p.getBackend().getService().getName())
                            .isEqualTo("cmo-oauth-callback");
                        assertThat(p.getBackend().getService().getPort().getName())
                            .isEqualTo("http-oauth");
                      });
            });
    assertThat(Manifests.all(HelmChart.render("default"), Ingress.class))
        .as("no Ingress by default")
        .isEmpty();
  }

  @Test
  void disablingTheCallbackRemovesItsPortAndService() throws Exception {
    List<HasMetadata> resources =
        Manifests.parseTyped(
            "ad-hoc",
            Manifests.documents(HelmChart.templateWith("oauthCallback:\n  enabled: false\n")));

    assertThat(Manifests.find(resources, Service.class, FULLNAME + "-oauth-callback")).isEmpty();
    assertThat(operator(resources).getPorts())
        .extracting(ContainerPort::getName)
        .containsExactly("http-mgmt");
  }

  private static void assertStateKeyRole(List<HasMetadata> resources) {
    Role state =
        Manifests.all(resources, Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-oauth-state"))
            .findFirst()
            .orElseThrow();
    assertThat(state.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(rules(state.getRules())).isEqualTo(new TreeMap<>(STATE_KEY_RULES));
    assertThat(state.getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getVerbs()).containsExactly("get");
              assertThat(r.getResourceNames()).containsExactly(STATE_KEY_SECRET);
            })
        .anySatisfy(
            r -> {
              assertThat(r.getVerbs()).containsExactly("create");
              assertThat(r.getResourceNames()).isNullOrEmpty();
            });
  }

  // ------------------------------------------------------------------------------ HA, metrics

  @Test
  void haRunsTwoReplicasWithLeaderElectionAndAPodDisruptionBudget() {
    List<HasMetadata> resources = HelmChart.render("ha");
    Deployment deployment = Manifests.one(resources, Deployment.class, FULLNAME);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(operator(resources))).containsEntry("LEADER_ELECTION_ENABLED", "true");
    assertThat(Manifests.find(resources, Role.class, FULLNAME + "-leader-election")).isPresent();

    PodDisruptionBudget pdb = Manifests.one(resources, PodDisruptionBudget.class, FULLNAME);
    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity())
        .isNotNull();

    assertThat(Manifests.all(HelmChart.render("default"), PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void serviceMonitorScrapesTheMetricsServicePort() {
    List<HasMetadata> resources = HelmChart.render("servicemonitor");
    ServiceMonitor monitor = Manifests.one(resources, ServiceMonitor.class, FULLNAME);
    Service service = Manifests.one(resources, Service.class, FULLNAME + "-metrics");

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
    assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(NAMESPACE);
    Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
    assertThat(monitor.getSpec().getEndpoints()).hasSize(1);
    assertThat(endpoint.getPath()).isEqualTo("/metrics");
    assertThat(endpoint.getInterval()).isEqualTo("15s");
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getName)
        .contains(endpoint.getPort());
    assertThat(service.getSpec().getPublishNotReadyAddresses())
        .as("stand-by replicas (not ready: not the leader) are scraped too")
        .isTrue();

    for (String valueSet : List.of("default", "ha", "simulator")) {
      assertThat(Manifests.all(HelmChart.render(valueSet), ServiceMonitor.class))
          .as(valueSet)
          .isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyServiceSelectsThePodsOfExactlyOneDeploymentOnANamedPort(String valueSet) {
    List<HasMetadata> resources = HelmChart.render(valueSet);
    List<Deployment> deployments = Manifests.all(resources, Deployment.class);
    for (Service service : Manifests.all(resources, Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<Deployment> selected =
          deployments.stream()
              .filter(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(selector.entrySet()))
              .toList();
      assertThat(selected).as("Deployments selected by " + Manifests.identity(service)).hasSize(1);
      Container c = selected.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(c.getPorts())
            .as(Manifests.identity(service))
            .anySatisfy(p -> assertThat(p.getName()).isEqualTo(port.getTargetPort().getStrVal()));
      }
    }
    for (Deployment d : deployments) {
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    }
  }

  // ------------------------------------------------------------------------------ simulator

  @Test
  void simulatorRunsBesideTheOperatorWhichPointsAtIt() {
    List<HasMetadata> resources = HelmChart.render("simulator");
    String name = FULLNAME + "-simulator";
    Deployment simulator = Manifests.one(resources, Deployment.class, name);
    Service service = Manifests.one(resources, Service.class, name);

    Container c = simulator.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("simulator", "--port", "8089");
    assertThat(c.getImage()).isEqualTo(operator(resources).getImage());
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8089));
    assertThat(simulator.getSpec().getReplicas())
        .as("state is in memory: one replica")
        .isEqualTo(1);
    assertThat(simulator.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .as("the simulator needs no Kubernetes API access")
        .isFalse();
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8089));

    assertThat(env(operator(resources)))
        .containsEntry("CLOUD_ELEMENTS_BASE_URL", "http://" + name + ":8089/elements/api-v2")
        .containsEntry("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "true");
    assertThat(Manifests.find(HelmChart.render("default"), Deployment.class, name)).isEmpty();
  }

  // ------------------------------------------------------------------------------ values schema

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("unknown key", "replicas: 2\n", "replicas"),
        Arguments.of("misspelt nested key", "leaderElection:\n  enable: true\n", "enable"),
        Arguments.of("log format", "logFormat: xml\n", "logFormat"),
        Arguments.of("namespace name", "watchNamespaces: [Marketing]\n", "watchNamespaces"),
        Arguments.of(
            "namespaces as a string", "watchNamespaces: marketing,sales\n", "watchNamespaces"),
        Arguments.of("duration form", "resyncInterval: 10 minutes\n", "resyncInterval"),
        Arguments.of("negative replicas", "replicaCount: -1\n", "replicaCount"),
        Arguments.of("zero concurrency", "maxConcurrentReconciles: 0\n", "maxConcurrentReconciles"),
        Arguments.of("port range", "managementPort: 70000\n", "managementPort"),
        Arguments.of("digest", "image:\n  digest: latest\n", "digest"),
        Arguments.of(
            "plain http without opting in",
            "cloudElements:\n  baseUrl: http://cloud-elements.internal/elements/api-v2\n",
            "allowPlainHttp"),
        Arguments.of("simulator option type", "simulator:\n  enabled: \"yes\"\n", "enabled"),
        Arguments.of(
            "ingress without a host", "oauthCallback:\n  ingress:\n    enabled: true\n", "host"),
        Arguments.of(
            "ingress host with a scheme",
            "oauthCallback:\n  ingress:\n    enabled: true\n    host: https://operator.example.com\n",
            "host"),
        Arguments.of("unknown callback key", "oauthCallback:\n  path: /cb\n", "path"),
        Arguments.of(
            "consent TTL form", "oauthCallback:\n  consentTtl: 15 minutes\n", "consentTtl"),
        Arguments.of(
            "callback on the management port",
            "oauthCallback:\n  port: 8080\n",
            "must differ from managementPort"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void refusesInvalidValues(String what, String values, String mentioned) {
    assertThatThrownBy(() -> HelmChart.templateWith(values))
        .as(what)
        .hasMessageContaining(mentioned)
        .hasMessageNotContaining("kubeVersion");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cloudElements:\n  baseUrl: http://sim.test:8089/elements/api-v2\n  allowPlainHttp: true\n",
        "podDisruptionBudget:\n  enabled: true\n  maxUnavailable: 50%\n",
        "watchNamespaces: [team-a]\nleaderElection:\n  enabled: false\n"
      })
  void acceptsValidEdgeValues(String values) throws Exception {
    assertThat(Manifests.parseTyped("ad-hoc", Manifests.documents(HelmChart.templateWith(values))))
        .isNotEmpty();
  }

  @Test
  void notesTellHowToCreateTheCredentialsSecretAndAFirstResource() {
    String notes =
        new Helm(HelmChart.CHART)
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(HelmChart.KUBE_VERSION)
            .clientOnly()
            .dryRun()
            .call()
            .getOutput();
    assertThat(notes)
        .contains("kubectl create secret generic cloud-elements-account")
        .contains("--from-literal=userSecret=")
        .contains("--from-literal=organizationSecret=")
        .contains("kind: CampaignMonitorInstance")
        .contains("kubectl wait --for=condition=Ready");
  }

  // ------------------------------------------------------------------------------ helpers

  static Container operator(List<HasMetadata> resources) {
    List<Deployment> operators =
        Manifests.all(resources, Deployment.class).stream()
            .filter(
                d ->
                    "operator"
                        .equals(
                            d.getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels()
                                .get("app.kubernetes.io/component")))
            .toList();
    assertThat(operators).hasSize(1);
    List<Container> containers = operators.get(0).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** Env as name -> value, a fieldRef as "fieldRef:path"; fails on a duplicate name. */
  static Map<String, String> env(Container c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      String value =
          e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
              ? "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath()
              : e.getValue() == null ? "" : e.getValue();
      assertThat(out.put(e.getName(), value)).as("duplicate env " + e.getName()).isNull();
    }
    return new TreeMap<>(out);
  }

  static Map<String, Set<String>> rules(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          out.merge(
              group + "/" + resource,
              new TreeSet<>(rule.getVerbs()),
              (a, b) -> {
                Set<String> s = new TreeSet<>(a);
                s.addAll(b);
                return s;
              });
        }
      }
    }
    return out.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> Set.copyOf(e.getValue()), (a, b) -> a, TreeMap::new));
  }

  private static void assertBoundToOperator(List<Subject> subjects) {
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  private static void assertHttpProbe(Probe probe, String path) {
    assertThat(probe).as("probe on " + path).isNotNull();
    assertThat(probe.getHttpGet()).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http-mgmt"));
    assertThat(probe.getTimeoutSeconds()).isPositive();
  }
}
