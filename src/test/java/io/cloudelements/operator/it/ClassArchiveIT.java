package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's training run, {@code java -jar target/campaign-monitor-operator.jar cds-archive
 * FILE}, as a separate process: it writes a class-data sharing archive of the {@code run} command's
 * classes, which a later {@code java -XX:SharedArchiveFile=FILE -jar} of the same jar maps.
 */
class ClassArchiveIT {

  private static final Path JAR = Path.of("target", "campaign-monitor-operator.jar");
  private static final List<String> IMAGE_FLAGS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAM=512m");

  @TempDir Path dir;

  @Test
  void theTrainingRunWritesAnArchiveOfTheRunCommandThatTheJarStartsWith() throws Exception {
    assertThat(JAR).exists();
    Path archive = dir.resolve("operator.jsa");

    Result training = java(180, "-jar", JAR.toString(), "cds-archive", archive.toString());

    assertThat(training.exitCode()).as(training.output()).isZero();
    assertThat(training.output()).containsPattern("cds-archive: wrote .*operator\\.jsa \\(\\d+");
    assertThat(training.output())
        .as("the training's credentials stay out of its output")
        .doesNotContain("user-secret", "org-secret", "example-api-key");
    assertThat(archive).isNotEmptyFile();

    Result contents =
        java(
            60,
            "-XX:SharedArchiveFile=" + archive,
            "-XX:+PrintSharedArchiveAndExit",
            "-jar",
            JAR.toString());
    assertThat(contents.output())
        .as("the run command's classes, leader election's included")
        .contains("archive is valid")
        .contains("io.cloudelements.operator.runtime.OperatorRuntime app_loader")
        .contains("io.cloudelements.operator.runtime.ManagementServer app_loader")
        .contains(
            "io.cloudelements.operator.reconciler.CampaignMonitorInstanceReconciler app_loader")
        .contains("io.fabric8.kubernetes.api.model.coordination.v1.Lease app_loader")
        .as("not the training's own embedded API server and simulator")
        .doesNotContain("io.cloudelements.operator.simulator.")
        .doesNotContain("io.cloudelements.operator.embedded.");

    Result start =
        java(
            60,
            "-XX:SharedArchiveFile=" + archive,
            "-Xlog:class+load=info",
            "-jar",
            JAR.toString(),
            "--help");
    assertThat(start.exitCode()).as(start.output()).isZero();
    assertThat(start.output())
        .contains("io.cloudelements.operator.Main source: shared objects file (top)");
  }

  private record Result(int exitCode, String output) {}

  private Result java(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(IMAGE_FLAGS);
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "java-", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(finished)
        .as(command + " finished within " + timeoutSeconds + " s:\n" + text)
        .isTrue();
    return new Result(process.exitValue(), text);
  }
}
