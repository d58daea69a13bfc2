package io.cloudelements.operator.cli;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cloudelements.operator.bench.BenchOptions;
import io.cloudelements.operator.bench.BenchResult;
import io.cloudelements.operator.bench.Benchmark;
import io.cloudelements.operator.bench.MockBaseline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Measures the operator in one process: the embedded Kubernetes API, the Cloud Elements simulator
 * with a latency, and the operator; creates N resources, waits until all are Ready, lets resyncs
 * pass, and prints the figures.
 */
public final class BenchCommand implements Command {

  private static final String NAME = "bench";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "Measure the operator at scale in one process: wall time, latency, calls, memory, start time.";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar campaign-monitor-operator.jar bench [OPTIONS]

        Starts an embedded Kubernetes API (the Fabric8 mock server), the Cloud Elements simulator and the
        operator in one process, creates N resources at once (sharing one credentials Secret), waits until all
        are Ready, then lets the resyncs pass, and prints one line per figure: the wall time against its lower
        bound N x L / C (one POST per create), apply->Ready latency percentiles, Cloud Elements calls by operation,
        duplicates, API-server requests by verb during the creation and in the steady state, the mean time of
        the operator's API-server requests per verb as its client saw them, the operator's CPU per create and
        per resync, heap after GC and RSS, and the time from process start to the first reconcile.
        Exits 0 when every correctness figure is right (N POSTs, 0 duplicates, 0 steady-state writes, one GET
        per instance per resync interval), 1 otherwise.

          --instances N          resources to create (default 1000)
          --latency D            latency of every Cloud Elements call, e.g. 100ms (default 100ms)
          --concurrency C        Cloud Elements calls in flight at once, MAX_CONCURRENT_REQUESTS (default 10)
          --reconcile-threads T  reconciles in parallel, MAX_CONCURRENT_RECONCILES (default: 2 x C)
          --fault-rate R         fraction of Cloud Elements calls failing during the creation (default 0)
          --seed N               seed of the fault mix (default 1)
          --resyncs N            drift resyncs to let pass in the steady state (default 2)
          --resync-interval D    the operator's RESYNC_INTERVAL (default: 1.25 x the lower bound + 5 ms per
                                 resource, at least 25 ms per resource and 3s, plus the time to apply them)
          --apply-rate R         apply R resources per second instead of all at once (default 0: at once)
          --warmup W             first create W resources in a namespace of their own and wait until they are
                                 Ready, so that the figures show a warmed-up process (default 0)
          --apiserver-latency D  latency the mock API server adds to every answer but a watch's, e.g. 30ms
                                 (default 0)
          --apiserver-jitter D   each answer's latency varies uniformly by up to +-D (at most the latency;
                                 default 0)
          --apiserver-tls        serve the mock API server over HTTPS (self-signed), so the client's TLS counts
          --json FILE            also write the figures as JSON to FILE
          --separate-process     run the operator as a process of its own (java <the same JVM flags> ...
                                 Main run), started with one resource already there: the start-up, RSS,
                                 heap and CPU figures are then the operator's alone
          --mock-only            measure only the mock API server: the API-server requests of N creations,
                                 without operator and simulator
          --verbose              also print the operator's log lines
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    CommandLine line = commandLine(args);
    BenchOptions options = options(line);
    Path json = line.has("--json") ? Path.of(line.get("--json", "")) : null;
    Map<String, Level> levels = new LinkedHashMap<>();
    if (!line.has("--verbose")) {
      levels.put("io.cloudelements.operator", Level.WARN);
      levels.put("io.javaoperatorsdk", Level.ERROR);
      levels.put("io.fabric8", Level.ERROR);
    }
    Map<String, Level> before = new LinkedHashMap<>();
    levels.forEach((name, level) -> before.put(name, quiet(name, level)));
    try {
      return run(options, line.has("--mock-only"), json, out);
    } finally {
      before.forEach(BenchCommand::quiet);
    }
  }

  private int run(BenchOptions options, boolean mockOnly, Path json, PrintStream out)
      throws Exception {
    if (mockOnly) {
      MockBaseline.Result baseline =
          MockBaseline.run(options.instances(), options.concurrency(), System.err);
      baseline.lines().forEach(out::println);
      if (json != null) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("instances", baseline.instances());
        tree.put("concurrency", baseline.concurrency());
        tree.put("wallMs", baseline.wall().toMillis());
        tree.put("requests", baseline.requestsByVerb());
        write(json, tree);
      }
      return 0;
    }

    BenchResult result = new Benchmark(options, System.err).run();
    result.lines().forEach(out::println);
    if (json != null) {
      write(json, result.toJson());
    }
    return result.failures().isEmpty() ? 0 : 1;
  }

  /**
   * The run's options from a command line; a wrong one is a {@link UsageException} that names it.
   */
  public static BenchOptions parse(String... args) {
    return options(commandLine(args));
  }

  private static CommandLine commandLine(String[] args) {
    return CommandLine.parse(
        NAME,
        args,
        Set.of(
            "--instances",
            "--latency",
            "--concurrency",
            "--fault-rate",
            "--seed",
            "--resyncs",
            "--resync-interval",
            "--apply-rate",
            "--reconcile-threads",
            "--warmup",
            "--json",
            "--apiserver-latency",
            "--apiserver-jitter"),
        Set.of("--mock-only", "--separate-process", "--verbose", "--apiserver-tls"));
  }

  private static BenchOptions options(CommandLine line) {
    BenchOptions defaults = BenchOptions.defaults();
    try {
      return new BenchOptions(
          line.getInt("--instances", defaults.instances()),
          line.has("--latency") ? duration(line, "--latency") : defaults.latency(),
          line.getInt("--concurrency", defaults.concurrency()),
          line.getDouble("--fault-rate", defaults.faultRate()),
          line.getInt("--seed", (int) defaults.seed()),
          line.getInt("--resyncs", defaults.resyncs()),
          line.has("--resync-interval") ? line.getDuration("--resync-interval", null) : null,
          line.getDouble("--apply-rate", 0),
          line.getInt("--reconcile-threads", 0),
          line.getInt("--warmup", 0),
          line.has("--separate-process"),
          new BenchOptions.ApiServer(
              duration(line, "--apiserver-latency"),
              duration(line, "--apiserver-jitter"),
              line.has("--apiserver-tls")));
    } catch (IllegalArgumentException e) {
      throw new UsageException(NAME + ": " + e.getMessage());
    }
  }

  /** A duration option, 0 when absent; a bare 0 counts as 0 ms. */
  private static Duration duration(CommandLine line, String option) {
    return "0".equals(line.get(option, null))
        ? Duration.ZERO
        : line.getDuration(option, Duration.ZERO);
  }

  private static void write(Path file, Map<String, Object> tree) throws java.io.IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        file,
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree)
            + System.lineSeparator());
  }

  /** Sets the level of a logger (null: inherit) and returns the one it had. */
  private static Level quiet(String name, Level level) {
    var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
    Level previous = logger.getLevel();
    logger.setLevel(level);
    return previous;
  }
}
