package io.cloudelements.operator.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Announces the phases while the run goes on (not the figures). */
final class Progress {

  private final PrintStream out;

  /**
   * @param out where to announce; null for nowhere
   */
  Progress(PrintStream out) {
    this.out = out;
  }

  void say(String format, Object... args) {
    if (out != null) {
      out.println("bench: " + String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }
}
