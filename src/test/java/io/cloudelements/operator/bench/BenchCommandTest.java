package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.cli.BenchCommand;
import io.cloudelements.operator.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  private final BenchCommand command = new BenchCommand();
  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

  @Test
  void theUsageNamesEveryOptionOfTheIssue() {
    assertThat(command.name()).isEqualTo("bench");
    assertThat(command.usage())
        .contains(
            "--instances", "--latency", "--concurrency", "--fault-rate", "--resyncs", "--json");
  }

  @Test
  void wrongOptionsAreUsageErrors() {
    assertThatThrownBy(() -> command.run(new String[] {"--instances", "0"}, out))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--instances");
    assertThatThrownBy(() -> command.run(new String[] {"--latency", "fast"}, out))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--latency");
    assertThatThrownBy(() -> command.run(new String[] {"--nope"}, out))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option '--nope'");
    assertThatThrownBy(() -> BenchCommand.parse("--apiserver-latency", "soon"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--apiserver-latency");
    assertThatThrownBy(
            () -> BenchCommand.parse("--apiserver-latency", "10ms", "--apiserver-jitter", "20ms"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(
            "--apiserver-jitter must be zero or more and at " + "most --apiserver-latency (10ms)");
    assertThatThrownBy(() -> BenchCommand.parse("--apiserver-jitter", "5ms"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--apiserver-jitter");
  }

  @Test
  void theApiServerOptionsAreParsed() {
    BenchOptions options =
        BenchCommand.parse(
            "--instances",
            "100",
            "--apiserver-latency",
            "30ms",
            "--apiserver-jitter",
            "5ms",
            "--apiserver-tls");

    assertThat(options.instances()).isEqualTo(100);
    assertThat(options.apiServer())
        .isEqualTo(new BenchOptions.ApiServer(Duration.ofMillis(30), Duration.ofMillis(5), true));
    assertThat(command.usage())
        .contains("--apiserver-latency", "--apiserver-jitter", "--apiserver-tls");
  }

  @Test
  void withoutApiServerOptionsTheMockAnswersAtOnceOverPlainHttp() {
    assertThat(BenchCommand.parse("--instances", "5").apiServer())
        .isEqualTo(BenchOptions.ApiServer.PLAIN);
    assertThat(BenchCommand.parse("--apiserver-latency", "0").apiServer().latency()).isZero();
  }
}
