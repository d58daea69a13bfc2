package io.cloudelements.operator.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Writes the class-data sharing archive that the image's entrypoint starts the operator with (see
 * {@link ClassArchiveTraining}); the image's build runs it.
 */
public final class ClassArchiveCommand implements Command {

  @Override
  public String name() {
    return "cds-archive";
  }

  @Override
  public String summary() {
    return "Write a class-data sharing archive of the run command's classes (faster start-up).";
  }

  @Override
  public String usage() {
    return """
        Usage: java [JVM FLAGS] -jar campaign-monitor-operator.jar cds-archive FILE

        Writes a class-data sharing (AppCDS) archive of the classes the run command loads to FILE: runs
        the operator as a process of its own, with this JVM's flags and -XX:ArchiveClassesAtExit=FILE,
        against an embedded API server (TLS) and the Cloud Elements simulator, with leader election on;
        it creates, resyncs and deletes one instance and answers its probes and /metrics, then is stopped
        with SIGTERM, and its JVM writes the archive as it exits. Takes 15–20 s. Exits 0 when FILE was
        written, 1 otherwise.

        Start the operator with java -XX:SharedArchiveFile=FILE and the same java, the same JVM flags and
        the same jar file (path, size and time): the image's build does this. A JVM that cannot use the
        archive (another jar, another JDK) starts without it.
        """;
  }

  @Override
  public int run(String[] args, PrintStream out) throws Exception {
    if (args.length != 1 || args[0].startsWith("-")) {
      throw new UsageException(name() + ": needs exactly one argument, the archive FILE");
    }
    return new ClassArchiveTraining(Path.of(args[0]), out).run() ? 0 : 1;
  }
}
