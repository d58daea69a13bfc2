package io.cloudelements.operator.cli;

import java.io.PrintStream;

/** One command of the jar. */
public interface Command {

  String name();

  /** One line for the jar's --help. */
  String summary();

  /** The full --help text of the command. */
  String usage();

  /** Runs the command and returns the process exit code. */
  int run(String[] args, PrintStream out) throws Exception;
}
