package io.cloudelements.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaults() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config.baseUrl()).hasToString("https://api.cloud-elements.com/elements/api-v2");
    assertThat(config.allowPlainHttp()).isFalse();
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.retryInitialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retryMaxDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.managementPort()).isEqualTo(8080);
    assertThat(config.leaderElectionEnabled()).isFalse();
    assertThat(config.podNamespace()).isNull();
    assertThat(config.operatorNamespace()).isEqualTo("default");
    assertThat(config.leaseName()).isEqualTo("campaign-monitor-operator");
    assertThat(config.maxConcurrentReconciles()).isEqualTo(40);
    assertThat(config.maxConcurrentRequests()).isEqualTo(20);
    assertThat(config.logFormat()).isEqualTo(OperatorConfig.LogFormat.TEXT);
    assertThat(config.terminationTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.podName()).isNull();
    assertThat(config.consentTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.oauthCallbackPort()).isEqualTo(8081);
  }

  @Test
  void readsTheConsentVariables() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "CONSENT_TTL", "5m", "OAUTH_CALLBACK_PORT", "9091", "POD_NAMESPACE", "operators"));

    assertThat(config.consentTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.oauthCallbackPort()).isEqualTo(9091);
    assertThat(config.operatorNamespace()).isEqualTo("operators");
    assertThat(config.withOauthCallbackPort(0).oauthCallbackPort()).isZero();
    assertThat(config.withConsentTtl(Duration.ofSeconds(3)).consentTtl())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theSevenArgumentConstructorKeepsTheDefaultsOfTheRuntimeSettings() {
    OperatorConfig config =
        new OperatorConfig(
            URI.create("http://127.0.0.1:1/api"),
            true,
            Set.of("a"),
            Duration.ofSeconds(2),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    assertThat(config)
        .isEqualTo(
            OperatorConfig.fromEnvironment(
                Map.of(
                    "CLOUD_ELEMENTS_BASE_URL",
                    "http://127.0.0.1:1/api",
                    "CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP",
                    "true",
                    "WATCH_NAMESPACES",
                    "a",
                    "CLOUD_ELEMENTS_TIMEOUT",
                    "2s",
                    "RETRY_INITIAL_DELAY",
                    "200ms",
                    "RETRY_MAX_DELAY",
                    "2s",
                    "RESYNC_INTERVAL",
                    "2s")));
    assertThat(config.withManagementPort(0).managementPort()).isZero();
    assertThat(config.withLeaderElection("ops"))
        .satisfies(
            c -> {
              assertThat(c.leaderElectionEnabled()).isTrue();
              assertThat(c.podNamespace()).isEqualTo("ops");
            });
    assertThat(config.withMaxConcurrentRequests(3).maxConcurrentRequests()).isEqualTo(3);
    assertThat(config.withMaxConcurrentReconciles(4).maxConcurrentReconciles()).isEqualTo(4);
    assertThat(config.withLeaseName("other").leaseName()).isEqualTo("other");
  }

  @Test
  void readsTheRuntimeVariables() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "MANAGEMENT_PORT", "9090",
                "LEADER_ELECTION_ENABLED", "TRUE",
                "POD_NAMESPACE", "operators",
                "LEASE_NAME", "cmo.lease-1",
                "MAX_CONCURRENT_RECONCILES", "4",
                "MAX_CONCURRENT_REQUESTS", "8",
                "LOG_FORMAT", "json",
                "RESYNC_INTERVAL", "1h",
                "TERMINATION_TIMEOUT", "7s",
                "HOSTNAME", "operator-7d9f-x2k"));

    assertThat(config.managementPort()).isEqualTo(9090);
    assertThat(config.leaderElectionEnabled()).isTrue();
    assertThat(config.podNamespace()).isEqualTo("operators");
    assertThat(config.leaseName()).isEqualTo("cmo.lease-1");
    assertThat(config.maxConcurrentReconciles()).isEqualTo(4);
    assertThat(config.maxConcurrentRequests()).isEqualTo(8);
    assertThat(config.logFormat()).isEqualTo(OperatorConfig.LogFormat.JSON);
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.terminationTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.podName()).isEqualTo("operator-7d9f-x2k");
    assertThat(config.withTerminationTimeout(Duration.ofSeconds(3)).terminationTimeout())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void blankRuntimeVariablesCountAsUnset() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "MANAGEMENT_PORT",
                "",
                "LEADER_ELECTION_ENABLED",
                " ",
                "POD_NAMESPACE",
                "",
                "LEASE_NAME",
                "",
                "MAX_CONCURRENT_RECONCILES",
                "",
                "MAX_CONCURRENT_REQUESTS",
                ""));

    assertThat(config.managementPort()).isEqualTo(8080);
    assertThat(config.leaderElectionEnabled()).isFalse();
    assertThat(config.podNamespace()).isNull();
    assertThat(config.leaseName()).isEqualTo("campaign-monitor-operator");
    assertThat(config.maxConcurrentReconciles()).isEqualTo(40);
    assertThat(config.maxConcurrentRequests()).isEqualTo(20);
  }

  @Test
  void withoutMaxConcurrentReconcilesTwiceTheCloudElementsCallsRun() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("MAX_CONCURRENT_REQUESTS", "7"));

    assertThat(config.maxConcurrentReconciles()).isEqualTo(14);
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of("MAX_CONCURRENT_REQUESTS", "7", "MAX_CONCURRENT_RECONCILES", "3"))
                .maxConcurrentReconciles())
        .isEqualTo(3);
  }

  @Test
  void badRuntimeValuesGiveOneLineErrorsNamingTheVariable() {
    Map<Map<String, String>, String> cases =
        Map.ofEntries(
            Map.entry(
                Map.of("MANAGEMENT_PORT", "http"),
                "MANAGEMENT_PORT must be a port number from 1 to 65535, but was 'http'"),
            Map.entry(
                Map.of("MANAGEMENT_PORT", "0"),
                "MANAGEMENT_PORT must be a port number from 1 to 65535, but was '0'"),
            Map.entry(Map.of("MANAGEMENT_PORT", "70000"), "MANAGEMENT_PORT must be a port number"),
            Map.entry(
                Map.of("LEADER_ELECTION_ENABLED", "yes"),
                "LEADER_ELECTION_ENABLED must be true or false, but was 'yes'"),
            Map.entry(
                Map.of("LEADER_ELECTION_ENABLED", "true"),
                "LEADER_ELECTION_ENABLED=true needs POD_NAMESPACE"),
            Map.entry(Map.of("POD_NAMESPACE", "Team_A"), "POD_NAMESPACE must be a namespace name"),
            Map.entry(
                Map.of("LEASE_NAME", "My Lease"), "LEASE_NAME must be a Kubernetes object name"),
            Map.entry(
                Map.of("MAX_CONCURRENT_RECONCILES", "0"),
                "MAX_CONCURRENT_RECONCILES must be a whole number of at least 1"),
            Map.entry(
                Map.of("MAX_CONCURRENT_RECONCILES", "ten"),
                "MAX_CONCURRENT_RECONCILES must be a whole number of at least 1, but was 'ten'"),
            Map.entry(
                Map.of("MAX_CONCURRENT_REQUESTS", "-1"),
                "MAX_CONCURRENT_REQUESTS must be a whole number of at least 1"),
            Map.entry(
                Map.of("LOG_FORMAT", "JSON"), "LOG_FORMAT must be json or text, but was 'JSON'"),
            Map.entry(Map.of("LOG_FORMAT", ""), "LOG_FORMAT must be json or text, but was ''"),
            Map.entry(
                Map.of("RESYNC_INTERVAL", "0s"),
                "RESYNC_INTERVAL must be longer than 0, but was 0s"),
            Map.entry(
                Map.of("TERMINATION_TIMEOUT", "0s"),
                "TERMINATION_TIMEOUT must be longer than 0, but was 0s"),
            Map.entry(
                Map.of("CLOUD_ELEMENTS_TIMEOUT", "0ms"),
                "CLOUD_ELEMENTS_TIMEOUT must be longer than 0"),
            Map.entry(
                Map.of("RETRY_INITIAL_DELAY", "10m"),
                "RETRY_MAX_DELAY (5m) must not be shorter than RETRY_INITIAL_DELAY (10m)"),
            Map.entry(Map.of("CONSENT_TTL", "0s"), "CONSENT_TTL must be longer than 0, but was 0s"),
            Map.entry(Map.of("CONSENT_TTL", "soon"), "CONSENT_TTL"),
            Map.entry(
                Map.of("OAUTH_CALLBACK_PORT", "0"),
                "OAUTH_CALLBACK_PORT must be a port number from 1 to 65535, but was '0'"),
            Map.entry(
                Map.of("OAUTH_CALLBACK_PORT", "8080"),
                "OAUTH_CALLBACK_PORT must differ from MANAGEMENT_PORT (8080)"),
            Map.entry(
                Map.of("CLOUD_ELEMENTS_BASE_URL", "https://exa mple.com"),
                "CLOUD_ELEMENTS_BASE_URL must be an https:// URL"));

    cases.forEach(
        (env, message) ->
            assertThatThrownBy(() -> OperatorConfig.fromEnvironment(env))
                .as("%s", env)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")));
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "CLOUD_ELEMENTS_BASE_URL", "http://localhost:8089/elements/api-v2/",
                "CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "true",
                "WATCH_NAMESPACES", "team-a, team-b,,",
                "CLOUD_ELEMENTS_TIMEOUT", "5s",
                "RETRY_INITIAL_DELAY", "250ms",
                "RETRY_MAX_DELAY", "2m"));

    assertThat(config.baseUrl()).hasToString("http://localhost:8089/elements/api-v2");
    assertThat(config.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retryInitialDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.retryMaxDelay()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_BASE_URL", "http://x/api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP=true");
  }

  @Test
  void badValuesGiveClearErrors() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_TIMEOUT", "soon")))
        .hasMessageContaining("CLOUD_ELEMENTS_TIMEOUT must be a duration");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "yes")))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_BASE_URL", "ftp://x")))
        .hasMessageContaining("https://");
  }

  @Test
  void durationsRoundTrip() {
    assertThat(Durations.parse("X", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("X", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
