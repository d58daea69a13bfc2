package io.cloudelements.operator;

import io.cloudelements.operator.cli.BenchCommand;
import io.cloudelements.operator.cli.ClassArchiveCommand;
import io.cloudelements.operator.cli.Command;
import io.cloudelements.operator.cli.DemoCommand;
import io.cloudelements.operator.cli.RunCommand;
import io.cloudelements.operator.cli.SimulatorCommand;
import io.cloudelements.operator.cli.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the jar: picks the command and maps its outcome to an exit code. */
public final class Main {

  static {
    useCommonPoolForAsyncSteps();
  }

  private static final List<Command> COMMANDS =
      List.of(
          new RunCommand(),
          new DemoCommand(),
          new SimulatorCommand(),
          new BenchCommand(),
          new ClassArchiveCommand());

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0 || args.length > 0 && !args[0].equals("run")) {
      System.exit(code);
    }
  }

  /** Runs a command line; returns the exit code: 0 done, 1 failed, 2 wrong usage. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String name = args.length == 0 ? "run" : args[0];
    if (List.of("--help", "-h", "help").contains(name)) {
      out.print(usage());
      return 0;
    }
    Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    if (command == null) {
      err.println("campaign-monitor-operator: unknown command '" + name + "' (try --help)");
      return 2;
    }
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.print(command.usage());
      return 0;
    }
    try {
      return command.run(rest, out);
    } catch (UsageException e) {
      err.println("campaign-monitor-operator: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("campaign-monitor-operator " + name + " failed: " + e.getMessage());
      return 1;
    }
  }

  /**
   * With a common pool of parallelism 1 (2 processors or fewer) {@code CompletableFuture} starts a
   * new thread for every asynchronous step, and the JDK HTTP client under both the Kubernetes and
   * the Cloud Elements client has such steps in every request: a thread per request. Runs before
   * anything loads {@code ForkJoinPool}; an explicit setting is kept.
   */
  private static void useCommonPoolForAsyncSteps() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(property, "2");
    }
  }

  static String usage() {
    StringBuilder text =
        new StringBuilder(
            """
        Usage: java -jar campaign-monitor-operator.jar [COMMAND] [OPTIONS]

        Commands:
        """);
    COMMANDS.forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
    text.append(
        """

        Run a command with --help to see its options.
        """);
    return text.toString();
  }
}
