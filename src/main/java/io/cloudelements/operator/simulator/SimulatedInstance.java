package io.cloudelements.operator.simulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of an element instance held by the simulator. {@link #configuration()} is
 * unmasked and meant for test assertions only; {@link #toString()} masks the token and the secret
 * configuration values.
 */
public final class SimulatedInstance {

  private final long id;
  private final String name;
  private final String token;
  private final List<String> tags;
  private final boolean valid;
  private final boolean disabled;
  private final Map<String, Object> configuration;
  private final Instant createdDate;

  SimulatedInstance(
      long id,
      String name,
      String token,
      List<String> tags,
      boolean valid,
      boolean disabled,
      Map<String, Object> configuration,
      Instant createdDate) {
    this.id = id;
    this.name = name;
    this.token = token;
    this.tags = List.copyOf(tags);
    this.valid = valid;
    this.disabled = disabled;
    this.configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    this.createdDate = createdDate;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String token() {
    return token;
  }

  public List<String> tags() {
    return tags;
  }

  public boolean valid() {
    return valid;
  }

  public boolean disabled() {
    return disabled;
  }

  /** The configuration as stored, secrets unmasked (values are String, Boolean, Number or null). */
  public Map<String, Object> configuration() {
    return configuration;
  }

  public Instant createdDate() {
    return createdDate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimulatedInstance other
        && id == other.id
        && valid == other.valid
        && disabled == other.disabled
        && Objects.equals(name, other.name)
        && Objects.equals(token, other.token)
        && tags.equals(other.tags)
        && configuration.equals(other.configuration)
        && Objects.equals(createdDate, other.createdDate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, token, tags, valid, disabled, configuration, createdDate);
  }

  @Override
  public String toString() {
    Map<String, Object> masked = new LinkedHashMap<>();
    configuration.forEach(
        (k, v) -> masked.put(k, Secrets.isSecretKey(k) && v != null ? Secrets.MASK : v));
    return "SimulatedInstance{id="
        + id
        + ", name="
        + name
        + ", token="
        + Secrets.MASK
        + ", tags="
        + tags
        + ", valid="
        + valid
        + ", disabled="
        + disabled
        + ", configuration="
        + masked
        + ", createdDate="
        + createdDate
        + "}";
  }
}
