package io.cloudelements.operator.cli;

/** A wrong command line: reported in one line, exit code 2. */
public class UsageException extends RuntimeException {

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
