package io.cloudelements.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
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
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_BASE_URL", "http://x/api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP=true");
  }

  @Test
  void badValuesGiveClearErrors() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_TIMEOUT", "soon")))
        .hasMessageContaining("CLOUD_ELEMENTS_TIMEOUT must be a duration");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP", "yes")))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("CLOUD_ELEMENTS_BASE_URL", "ftp://x")))
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
