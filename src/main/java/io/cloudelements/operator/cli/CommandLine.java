package io.cloudelements.operator.cli;

import io.cloudelements.operator.config.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value} pairs and {@code --flag}s, checked against what
 * it accepts.
 */
public final class CommandLine {

  private final Map<String, String> values = new HashMap<>();

  private CommandLine() {}

  /**
   * @param valued options that take a value
   * @param flags options without a value
   */
  public static CommandLine parse(
      String command, String[] args, Set<String> valued, Set<String> flags) {
    CommandLine line = new CommandLine();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flags.contains(name) && value == null) {
        line.values.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException(command + ": option " + name + " needs a value");
          }
          value = args[++i];
        }
        line.values.put(name, value);
      } else {
        throw new UsageException(
            command + ": unknown option '" + arg + "' (try " + command + " --help)");
      }
    }
    return line;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public int getInt(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("option " + name + " must be a whole number, but was '" + v + "'");
    }
  }

  public double getDouble(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException("option " + name + " must be a number, but was '" + v + "'");
    }
  }

  public Duration getDuration(String name, Duration fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Durations.parse("option " + name, v);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
