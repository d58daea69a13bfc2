package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudelements.operator.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark in this process with 20 instances and checks only its correctness figures:
 * every instance created by exactly one POST and no tag lookup (nothing crashed, so no POST can
 * have happened before), no duplicates, no write to Kubernetes or Cloud Elements in the steady
 * state, and one GET per instance per resync interval; and that the API-server and CPU figures are
 * there. Timing is not asserted (but for the injected API-server latency as a floor): the bench is
 * a benchmark, not a test.
 */
class BenchIT {

  @Test
  void twentyInstancesAreCreatedOnceAndThenOnlyReadOncePerResync(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("bench.json");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    // A resync interval of 4 s leaves 2 s of slack for each resync on a busy CI machine. The mock
    // API server answers
    // over TLS and 5 ms late, so that the operator's client goes through both.
    int code =
        new BenchCommand()
            .run(
                new String[] {
                  "--instances",
                  "20",
                  "--resyncs",
                  "2",
                  "--resync-interval",
                  "4s",
                  "--apiserver-latency",
                  "5ms",
                  "--apiserver-tls",
                  "--json",
                  json.toString()
                },
                new PrintStream(printed, true, StandardCharsets.UTF_8));

    String output = printed.toString(StandardCharsets.UTF_8);
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertThat(figures.at("/creation/ready").asInt()).as(output).isEqualTo(20);
    assertThat(figures.at("/creation/postsTotal").asLong()).as(output).isEqualTo(20);
    assertThat(figures.at("/creation/postsCreated").asLong()).as(output).isEqualTo(20);
    assertThat(figures.at("/creation/tagLookups").isNumber()).as(output).isTrue();
    assertThat(figures.at("/creation/tagLookups").asLong())
        .as("tag lookups without crashes or faults\n" + output)
        .isZero();
    assertThat(figures.at("/creation/duplicates").asInt()).as(output).isZero();
    assertThat(figures.at("/steady/kubernetesWrites").asLong()).as(output).isZero();
    assertThat(figures.at("/steady/cloudElementsWrites").asLong()).as(output).isZero();
    assertThat(figures.at("/steady/getsPerInstanceMin").asInt()).as(output).isEqualTo(2);
    assertThat(figures.at("/steady/getsPerInstanceMax").asInt()).as(output).isEqualTo(2);
    assertThat(figures.at("/options/apiServerTls").asBoolean()).isTrue();
    assertThat(figures.at("/creation/apiServerTimes/create/requests").asLong())
        .as(output)
        .isEqualTo(40);
    assertThat(figures.at("/creation/apiServerTimes/create/meanMs").asDouble())
        .as(output)
        .isGreaterThanOrEqualTo(5);
    assertThat(figures.at("/creation/operatorCpuPerCreateMs").asDouble()).as(output).isPositive();
    assertThat(figures.at("/steady/operatorCpuPerResyncMs").asDouble()).as(output).isPositive();
    assertThat(code).as(output).isZero();
    assertThat(output).contains("correctness                      OK");
  }
}
