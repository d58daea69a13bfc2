package io.cloudelements.operator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the Dockerfile (the real build, lint and run are in scripts/check-image.sh and
 * scripts/check-delivery.sh): multi-stage Maven build, distroless Java 17+ runtime, numeric
 * non-root user, container-sized heap, exec-form entrypoint running the jar with the class-data
 * sharing archive that the runtime stage's training run made, and a build context limited by
 * .dockerignore (the POM, src/main and examples/, which the jar packages for the demo).
 */
class DockerfileTest {

  static final Path DOCKERFILE = HelmChart.BASEDIR.resolve("Dockerfile");
  private static List<String> instructions;

  @BeforeAll
  static void read() throws IOException {
    instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        current.append(t);
        instructions.add(current.toString().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
  }

  private static List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.toUpperCase().startsWith(keyword + " ")).toList();
  }

  /** The instructions after the last FROM. */
  private static List<String> runtimeStage() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).toUpperCase().startsWith("FROM ")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  @Test
  void buildsWithMavenAndRunsOnADistrolessJavaBase() {
    List<String> froms = all("FROM");
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).matches("FROM \\S*maven:[^ ]*(temurin|jdk)-?(17|21)\\S* AS build");
    assertThat(froms.get(1)).matches("FROM \\S*distroless/java(17|21)-debian\\d+:nonroot");
    for (String from : froms) {
      assertThat(from).as("pinned base").doesNotContain(":latest");
    }
    assertThat(instructions).anyMatch(i -> i.startsWith("RUN mvn ") && i.contains(" package"));
    assertThat(runtimeStage())
        .anyMatch(
            i ->
                i.matches(
                    "COPY --from=build \\S*/target/campaign-monitor-operator\\.jar /app/campaign-monitor-operator\\.jar"));
    assertThat(runtimeStage().stream().filter(i -> i.startsWith("RUN ")))
        .as("the runtime stage has no shell: only the exec-form training run of the jar")
        .allMatch(i -> i.startsWith("RUN [\"/usr/bin/java\", "));
  }

  @Test
  void startsWithTheClassArchiveThatItsOwnJavaAndJarMade() {
    String archive = "/app/campaign-monitor-operator.jsa";
    List<String> runs = runtimeStage().stream().filter(i -> i.startsWith("RUN ")).toList();
    assertThat(runs)
        .as("made in the runtime stage, by the java and the jar file that will use it")
        .containsExactly(
            "RUN [\"/usr/bin/java\", \"-XX:MaxRAM=512m\", \"-jar\","
                + " \"/app/campaign-monitor-operator.jar\", \"cds-archive\", \""
                + archive
                + "\"]");
    int training = runtimeStage().indexOf(runs.get(0));
    int env =
        runtimeStage()
            .indexOf(
                runtimeStage().stream()
                    .filter(i -> i.startsWith("ENV "))
                    .findFirst()
                    .orElseThrow());
    assertThat(env).as("the training runs with the image's JVM flags").isLessThan(training);
    assertThat(all("ENTRYPOINT").get(0)).contains("\"-XX:SharedArchiveFile=" + archive + "\"");
  }

  @Test
  void runsAsANumericNonRootUser() {
    List<String> users = runtimeStage().stream().filter(i -> i.startsWith("USER ")).toList();
    assertThat(users)
        .as("root only for the training run that writes the archive")
        .hasSizeBetween(1, 2);
    if (users.size() == 2) {
      assertThat(users.get(0)).isEqualTo("USER 0:0");
      assertThat(runtimeStage().indexOf(users.get(1)))
          .as("the operator's user again right after the training run")
          .isEqualTo(runtimeStage().indexOf(users.get(0)) + 2);
    }
    String user = users.get(users.size() - 1);
    Matcher m = Pattern.compile("USER (\\d+)(:(\\d+))?").matcher(user);
    assertThat(m.matches()).as("numeric USER uid:gid, so that runAsNonRoot can verify it").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isPositive();
    assertThat(Integer.parseInt(m.group(3))).isPositive();
    // The chart's securityContext uses the same ids.
    assertThat(user).isEqualTo("USER 65532:65532");
  }

  @Test
  void startsTheJarWithContainerSizedMemoryAndJsonLogs() {
    List<String> entrypoints = all("ENTRYPOINT");
    assertThat(entrypoints)
        .containsExactly(
            "ENTRYPOINT [\"/usr/bin/java\","
                + " \"-XX:SharedArchiveFile=/app/campaign-monitor-operator.jsa\", \"-jar\","
                + " \"/app/campaign-monitor-operator.jar\"]");
    assertThat(all("CMD")).as("the default command runs the operator").isEmpty();
    String env =
        String.join(" ", runtimeStage().stream().filter(i -> i.startsWith("ENV ")).toList());
    assertThat(env)
        .contains("-XX:MaxRAMPercentage=")
        .contains("LOG_FORMAT=json")
        .contains("MANAGEMENT_PORT=8080");
    assertThat(env)
        .as("the flags measured in docs/performance.md")
        .contains("-XX:+UseSerialGC")
        .contains("-XX:TieredStopAtLevel=1");
    assertThat(all("EXPOSE")).containsExactly("EXPOSE 8080");
  }

  @Test
  void dockerignoreSendsOnlyThePomTheMainSourcesAndTheExamples() throws IOException {
    List<String> lines =
        Files.readAllLines(HelmChart.BASEDIR.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(lines).containsExactly("*", "!pom.xml", "!src/main/", "!examples/");
    for (String copy : all("COPY")) {
      if (!copy.startsWith("COPY --from=")) {
        assertThat(copy).matches("COPY (pom\\.xml|src/main|examples) \\S+");
      }
    }
  }
}
