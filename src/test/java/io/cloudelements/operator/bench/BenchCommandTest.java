package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.cli.BenchCommand;
import io.cloudelements.operator.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

  private final BenchCommand command = new BenchCommand();
  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

  @Test
  void theUsageNamesEveryOptionOfTheIssue() {
    assertThat(command.name()).isEqualTo("bench");
    assertThat(command.usage()).contains("--instances", "--latency", "--concurrency", "--fault-rate", "--resyncs",
        "--json");
  }

  @Test
  void wrongOptionsAreUsageErrors() {
    assertThatThrownBy(() -> command.run(new String[] {"--instances", "0"}, out))
        .isInstanceOf(UsageException.class).hasMessageContaining("--instances");
    assertThatThrownBy(() -> command.run(new String[] {"--latency", "fast"}, out))
        .isInstanceOf(UsageException.class).hasMessageContaining("--latency");
    assertThatThrownBy(() -> command.run(new String[] {"--nope"}, out))
        .isInstanceOf(UsageException.class).hasMessageContaining("unknown option '--nope'");
  }
}
