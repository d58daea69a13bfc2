package io.cloudelements.operator.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real kubectl binary: $KUBECTL, the one scripts/install-delivery-tools.sh installs into
 * $DELIVERY_TOOLS, or kubectl on the PATH, if it is 1.28 or later; when there is none, that same
 * script installs it.
 */
final class RealKubectl {

  /** The outcome of one kubectl command. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private static final Pattern CLIENT_MINOR = Pattern.compile("\"minor\":\\s*\"(\\d+)");
  private static final int OLDEST_MINOR = 28;

  private final String binary;
  private final Map<String, String> environment;

  private RealKubectl(String binary, Map<String, String> environment) {
    this.binary = binary;
    this.environment = environment;
  }

  /**
   * kubectl with only this kubeconfig: KUBECONFIG points at it and HOME at an empty directory, so
   * neither ~/.kube/config nor a discovery cache of an earlier run plays a part.
   */
  static RealKubectl withKubeconfig(Path kubeconfig, Path home)
      throws IOException, InterruptedException {
    String binary = find().orElse(null);
    if (binary == null) {
      install();
      binary =
          find()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "scripts/install-delivery-tools.sh ran, and still no kubectl "
                              + OLDEST_MINOR
                              + "+ was found"));
    }
    return new RealKubectl(
        binary, Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", home.toString()));
  }

  String binary() {
    return binary;
  }

  Result run(String commandLine) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    List<String> words = List.of(commandLine.trim().split("\\s+"));
    command.addAll(words.get(0).equals("kubectl") ? words.subList(1, words.size()) : words);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("'" + commandLine + "' did not end within 120 s");
    }
    return new Result(process.exitValue(), stdout.join(), stderr.join());
  }

  private static Optional<String> find() {
    List<String> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("KUBECTL")).ifPresent(candidates::add);
    candidates.add(toolsDirectory().resolve("bin/kubectl").toString());
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(dir + "/kubectl");
      }
    }
    return candidates.stream()
        .filter(c -> Files.isExecutable(Path.of(c)) && recentEnough(c))
        .findFirst();
  }

  private static Path toolsDirectory() {
    return Path.of(
        Optional.ofNullable(System.getenv("DELIVERY_TOOLS"))
            .orElse(System.getProperty("user.home") + "/.cache/campaign-monitor-operator/tools"));
  }

  private static boolean recentEnough(String kubectl) {
    try {
      Process p =
          new ProcessBuilder(kubectl, "version", "--client", "-o", "json")
              .redirectErrorStream(true)
              .start();
      String out = read(p.getInputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return false;
      }
      Matcher minor = CLIENT_MINOR.matcher(out);
      return minor.find() && Integer.parseInt(minor.group(1)) >= OLDEST_MINOR;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void install() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "scripts/install-delivery-tools.sh")
            .redirectErrorStream(true)
            .start();
    String out = read(p.getInputStream());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("scripts/install-delivery-tools.sh failed:\n" + out);
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
