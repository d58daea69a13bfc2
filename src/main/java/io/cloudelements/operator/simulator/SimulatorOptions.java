package io.cloudelements.operator.simulator;

import java.time.Duration;

/**
 * Settings of a {@link CloudElementsSimulator}.
 *
 * @param port TCP port to listen on; 0 picks a free ephemeral port
 * @param userSecret the user secret expected in {@code Authorization: User <secret>, ...}
 * @param organizationSecret the organization secret expected in {@code ..., Organization <secret>}
 * @param latency latency added to every request
 */
public record SimulatorOptions(
    int port, String userSecret, String organizationSecret, Duration latency) {

  public SimulatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (userSecret == null || userSecret.isBlank()) {
      throw new IllegalArgumentException("userSecret must not be blank");
    }
    if (organizationSecret == null || organizationSecret.isBlank()) {
      throw new IllegalArgumentException("organizationSecret must not be blank");
    }
    latency = latency == null ? Duration.ZERO : latency;
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
  }

  /** Port 0 (ephemeral), secrets {@code user-secret} / {@code org-secret}, no latency. */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(0, "user-secret", "org-secret", Duration.ZERO);
  }

  public SimulatorOptions withPort(int newPort) {
    return new SimulatorOptions(newPort, userSecret, organizationSecret, latency);
  }

  public SimulatorOptions withSecrets(String newUserSecret, String newOrganizationSecret) {
    return new SimulatorOptions(port, newUserSecret, newOrganizationSecret, latency);
  }

  public SimulatorOptions withLatency(Duration newLatency) {
    return new SimulatorOptions(port, userSecret, organizationSecret, newLatency);
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "SimulatorOptions[port="
        + port
        + ", userSecret=********, organizationSecret=********, latency="
        + latency
        + "]";
  }
}
