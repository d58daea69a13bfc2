package io.cloudelements.operator.runtime;

/** The answer of a probe: ok, or not with a short reason for a person. */
public record Check(boolean ok, String reason) {

  public static Check ok(String reason) {
    return new Check(true, reason);
  }

  public static Check failed(String reason) {
    return new Check(false, reason);
  }
}
