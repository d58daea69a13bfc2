package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The Secrets of one namespace, in memory; cache and server are the same here. Records every write.
 */
final class FakeSecrets implements SecretStore {

  private final Map<String, Secret> byName = new TreeMap<>();
  private final List<String> writes = new ArrayList<>();
  private long resourceVersion;

  /** Creates or replaces a Secret with these string values, as a person would. */
  FakeSecrets put(String name, String... keysAndValues) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      data.put(
          keysAndValues[i],
          Base64.getEncoder()
              .encodeToString(keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    Secret secret =
        byName.containsKey(name)
            ? new SecretBuilder(byName.get(name)).withData(data).build()
            : new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("ns")
                .endMetadata()
                .withData(data)
                .build();
    store(secret);
    return this;
  }

  void remove(String name) {
    byName.remove(name);
  }

  Optional<Secret> get(String name) {
    return find(name);
  }

  /** Every write by the operator, as {@code "verb name"}. */
  List<String> writes() {
    return List.copyOf(writes);
  }

  @Override
  public Optional<Secret> find(String name) {
    return Optional.ofNullable(byName.get(name)).map(s -> new SecretBuilder(s).build());
  }

  @Override
  public Optional<Secret> fetch(String name) {
    return find(name);
  }

  @Override
  public void create(Secret secret) {
    if (byName.containsKey(secret.getMetadata().getName())) {
      throw new IllegalStateException("Secret " + secret.getMetadata().getName() + " exists");
    }
    writes.add("create " + secret.getMetadata().getName());
    store(secret);
  }

  @Override
  public void update(Secret secret) {
    writes.add("update " + secret.getMetadata().getName());
    store(secret);
  }

  @Override
  public void edit(Secret current, UnaryOperator<Secret> change) {
    writes.add("edit " + current.getMetadata().getName());
    store(change.apply(new SecretBuilder(current).build()));
  }

  @Override
  public void edit(String name, UnaryOperator<Secret> change) {
    writes.add("edit " + name);
    store(change.apply(find(name).orElseThrow()));
  }

  private void store(Secret secret) {
    Secret copy = new SecretBuilder(secret).build();
    copy.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
    byName.put(copy.getMetadata().getName(), copy);
  }
}
