package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md lists the Ready reasons and their kinds exactly as {@link ReadyReason} has
 * them.
 */
class ArchitectureDocTest {

  private static final String START = "<!-- ready-reasons:start -->\n";
  private static final String END = "<!-- ready-reasons:end -->";

  @Test
  void theReadyReasonTableMatchesTheEnum() throws IOException {
    String doc = Files.readString(Path.of("docs", "architecture.md"));
    assertThat(doc).contains(START, END);
    String table = doc.substring(doc.indexOf(START) + START.length(), doc.indexOf(END));

    String expected =
        "| Reason | Kind |\n|---|---|\n"
            + Arrays.stream(ReadyReason.values())
                .map(
                    r ->
                        "| `"
                            + r.value()
                            + "` | "
                            + r.kind().name().toLowerCase(Locale.ROOT)
                            + " |\n")
                .collect(Collectors.joining());

    assertThat(table)
        .as("the table in docs/architecture.md; regenerate it from ReadyReason")
        .isEqualTo(expected);
  }
}
