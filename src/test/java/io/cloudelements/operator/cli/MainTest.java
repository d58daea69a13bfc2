package io.cloudelements.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("run ", "demo ", "simulator ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "demo", "simulator"})
  void eachCommandHasHelp(String command) {
    assertThat(run(command, "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: java -jar campaign-monitor-operator.jar " + command);
  }

  @Test
  void anUnknownCommandIsOneLineAndExitCodeTwo() {
    assertThat(run("deploy")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("campaign-monitor-operator: unknown command 'deploy' (try --help)");
  }

  @Test
  void aBadOptionValueIsOneLineAndExitCodeTwo() {
    assertThat(run("simulator", "--port", "eighty")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "campaign-monitor-operator: option --port must be a whole number, but was 'eighty'");
  }

  @Test
  void theClassArchiveNeedsExactlyItsFile() {
    assertThat(run("cds-archive")).isEqualTo(2);
    assertThat(run("cds-archive", "a.jsa", "b.jsa")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "campaign-monitor-operator: cds-archive: needs exactly one argument, the archive FILE",
            "campaign-monitor-operator: cds-archive: needs exactly one argument, the archive FILE");
    assertThat(run("cds-archive", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: java [JVM FLAGS] -jar campaign-monitor-operator.jar cds-archive FILE");
  }

  @Test
  void anOptionWithoutItsValueIsReported() {
    assertThat(run("simulator", "--latency")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("option --latency needs a value");
  }
}
