package io.cloudelements.operator.consent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HMAC key of the OAuth state, in the Secret {@value #NAME} of the operator's namespace, so
 * that every replica and a restarted operator verify the same states. The first replica to start
 * creates it; a replica that loses that race (409) reads the winner's key.
 */
public final class StateKeySecret {

  public static final String NAME = "campaign-monitor-operator-oauth-state";
  public static final String KEY = "hmacKey";
  private static final Logger LOG = LoggerFactory.getLogger(StateKeySecret.class);

  private StateKeySecret() {}

  /** The key from the Secret, after creating the Secret with a new random key if it is missing. */
  public static byte[] loadOrCreate(
      KubernetesClient kubernetes, String namespace, SecureRandom random) {
    Optional<byte[]> existing = read(kubernetes, namespace);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] key = StateSigner.newKey(random);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(namespace)
            .withLabels(Map.of(OAuthCodeSecret.MANAGED_BY_LABEL, OAuthCodeSecret.MANAGED_BY))
            .endMetadata()
            .withType("Opaque")
            .withData(Map.of(KEY, Base64.getEncoder().encodeToString(key)))
            .build();
    try {
      kubernetes.secrets().inNamespace(namespace).resource(secret).create();
      LOG.info("Created the OAuth state key Secret {}/{}", namespace, NAME);
      return key;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return read(kubernetes, namespace)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "The OAuth state key Secret "
                          + namespace
                          + "/"
                          + NAME
                          + " was created meanwhile but cannot be read"));
    }
  }

  private static Optional<byte[]> read(KubernetesClient kubernetes, String namespace) {
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(NAME).get();
    if (secret == null) {
      return Optional.empty();
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(KEY);
    if (encoded == null || encoded.isBlank()) {
      throw new IllegalStateException(
          "The OAuth state key Secret "
              + namespace
              + "/"
              + NAME
              + " has no key "
              + KEY
              + "; delete it to have the operator create a new one, or put at least "
              + StateSigner.KEY_BYTES
              + " random bytes (base64) under "
              + KEY);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "The OAuth state key Secret "
              + namespace
              + "/"
              + NAME
              + " key "
              + KEY
              + " is not base64");
    }
    if (key.length < StateSigner.KEY_BYTES) {
      throw new IllegalStateException(
          "The OAuth state key in Secret "
              + namespace
              + "/"
              + NAME
              + " key "
              + KEY
              + " is shorter than "
              + StateSigner.KEY_BYTES
              + " bytes; use at least that many random bytes");
    }
    return Optional.of(key);
  }
}
