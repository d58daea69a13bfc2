package io.cloudelements.operator.simulator;

import static io.cloudelements.operator.simulator.ApiException.badRequest;

import io.cloudelements.operator.simulator.RequestBodies.InstanceUpdate;
import io.cloudelements.operator.simulator.RequestBodies.NewInstance;
import io.cloudelements.operator.simulator.RequestBodies.ProviderCode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The element instances and the domain rules around them: ids only ever increase, an authorization
 * code is accepted once, every (re-)authentication issues a fresh token. Answers immutable {@link
 * SimulatedInstance} snapshots.
 */
final class InstanceStore {

  static final String CODE_REJECTED = "The authorization code is invalid or was already used";

  private static final Logger LOG = LoggerFactory.getLogger(InstanceStore.class);
  private static final String CODE_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final SecureRandom secureRandom = new SecureRandom();

  /** Guards every field below. */
  private final Object lock = new Object();

  private final Map<Long, InstanceState> instances = new TreeMap<>();
  private final Set<String> usedCodes = new HashSet<>();

  /**
   * Every token handed out, kept across {@link #reset()} and deletions: what a leak scan must look
   * for.
   */
  private final List<String> issuedTokens = new ArrayList<>();

  private long nextId = CloudElementsSimulator.FIRST_INSTANCE_ID;

  SimulatedInstance create(NewInstance request) {
    InstanceState created;
    synchronized (lock) {
      burn(request.code());
      created =
          new InstanceState(
              nextId++,
              request.name(),
              newToken(),
              request.tags(),
              request.configuration(),
              Instant.now().truncatedTo(ChronoUnit.MILLIS));
      instances.put(created.id, created);
    }
    LOG.debug(
        "Simulator: created instance {} ({} authentication)",
        created.id,
        ConfigurationRules.isBasic(request.configuration()) ? "basic" : "oauth2");
    return created.snapshot();
  }

  /** The instances carrying all {@code wanted} tags; 404 when none does (the real API's quirk). */
  List<SimulatedInstance> withTags(List<String> wanted) {
    List<SimulatedInstance> found;
    synchronized (lock) {
      found =
          instances.values().stream()
              .filter(s -> s.tags.containsAll(wanted))
              .map(InstanceState::snapshot)
              .toList();
    }
    if (found.isEmpty()) {
      throw new ApiException(
          404,
          wanted.isEmpty()
              ? "No element instances found"
              : "No element instances found with the given tags");
    }
    return found;
  }

  SimulatedInstance get(long id) {
    synchronized (lock) {
      return find(id).snapshot();
    }
  }

  /** Merges the configuration keys sent, replaces name and tags when sent. */
  SimulatedInstance patch(long id, InstanceUpdate update) {
    synchronized (lock) {
      InstanceState state = find(id);
      if (update.configuration() != null) {
        Map<String, Object> merged = new LinkedHashMap<>(state.configuration);
        merged.putAll(update.configuration());
        ConfigurationRules.validateEvents(merged);
        state.configuration = merged;
      }
      apply(state, update);
      return state.snapshot();
    }
  }

  /**
   * Checks the merged configuration, burns the code, and issues a new token; the instance is valid
   * again.
   */
  SimulatedInstance reauthenticate(long id, InstanceUpdate update, ProviderCode providerCode) {
    synchronized (lock) {
      InstanceState state = find(id);
      Map<String, Object> merged = new LinkedHashMap<>(state.configuration);
      if (update.configuration() != null) {
        merged.putAll(update.configuration());
      }
      ConfigurationRules.requireCredentials(merged);
      String code = null;
      if (!ConfigurationRules.isBasic(merged) || providerCode.sent()) {
        code = providerCode.require();
      }
      ConfigurationRules.validateEvents(merged);
      burn(code);
      state.configuration = merged;
      state.token = newToken();
      state.valid = true;
      apply(state, update);
      LOG.debug("Simulator: re-authenticated instance {} (new token issued)", id);
      return state.snapshot();
    }
  }

  void delete(long id) {
    synchronized (lock) {
      if (instances.remove(id) == null) {
        throw ApiException.notFound(id);
      }
    }
    LOG.debug("Simulator: deleted instance {}", id);
  }

  void deleteRemotely(long id) {
    synchronized (lock) {
      if (instances.remove(id) == null) {
        throw new IllegalArgumentException("No simulated instance with id " + id);
      }
    }
    LOG.info("Simulator: instance {} deleted remotely", id);
  }

  void markInvalid(long id) {
    synchronized (lock) {
      InstanceState state = instances.get(id);
      if (state == null) {
        throw new IllegalArgumentException("No simulated instance with id " + id);
      }
      state.valid = false;
    }
    LOG.info("Simulator: instance {} marked invalid", id);
  }

  /**
   * A fresh random one-time authorization code (any other unused non-blank code is accepted too).
   */
  String newAuthorizationCode() {
    StringBuilder code = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      code.append(CODE_ALPHABET.charAt(secureRandom.nextInt(CODE_ALPHABET.length())));
    }
    return code.toString();
  }

  List<SimulatedInstance> instances() {
    synchronized (lock) {
      return instances.values().stream().map(InstanceState::snapshot).toList();
    }
  }

  Optional<SimulatedInstance> instance(long id) {
    synchronized (lock) {
      return Optional.ofNullable(instances.get(id)).map(InstanceState::snapshot);
    }
  }

  List<String> issuedTokens() {
    synchronized (lock) {
      return List.copyOf(issuedTokens);
    }
  }

  /**
   * Forgets the instances and the used codes; ids keep increasing and the issued tokens are kept.
   */
  void reset() {
    synchronized (lock) {
      instances.clear();
      usedCodes.clear();
    }
  }

  /** Called under {@code lock}: accepts a code once (null: no code). */
  private void burn(String code) {
    if (code != null && !usedCodes.add(code)) {
      throw badRequest(CODE_REJECTED);
    }
  }

  /** Called under {@code lock}. */
  private InstanceState find(long id) {
    InstanceState state = instances.get(id);
    if (state == null) {
      throw ApiException.notFound(id);
    }
    return state;
  }

  private static void apply(InstanceState state, InstanceUpdate update) {
    if (update.name() != null) {
      state.name = update.name();
    }
    if (update.tags() != null) {
      state.tags = update.tags();
    }
  }

  /** Called under {@code lock}. */
  private String newToken() {
    byte[] random = new byte[33];
    secureRandom.nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    issuedTokens.add(token);
    return token;
  }

  /** Mutable instance state, guarded by {@code lock}. */
  private static final class InstanceState {
    final long id;
    final Instant createdDate;
    String name;
    String token;
    List<String> tags;
    boolean valid = true;
    boolean disabled;
    Map<String, Object> configuration;

    InstanceState(
        long id,
        String name,
        String token,
        List<String> tags,
        Map<String, Object> configuration,
        Instant createdDate) {
      this.id = id;
      this.name = name;
      this.token = token;
      this.tags = tags;
      this.configuration = configuration;
      this.createdDate = createdDate;
    }

    SimulatedInstance snapshot() {
      return new SimulatedInstance(
          id, name, token, tags, valid, disabled, configuration, createdDate);
    }
  }
}
