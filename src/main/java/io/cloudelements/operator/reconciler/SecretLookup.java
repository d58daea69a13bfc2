package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Finds Secrets of one namespace by name, and reads their values. */
@FunctionalInterface
public interface SecretLookup {

  Optional<Secret> find(String name);

  /** The decoded value of a key, from {@code data} or else {@code stringData}. */
  static Optional<String> value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.containsKey(key) && data.get(key) != null) {
      return Optional.of(
          new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
    }
    Map<String, String> stringData = secret.getStringData();
    return Optional.ofNullable(stringData == null ? null : stringData.get(key));
  }
}
