package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.InstanceRequestBody;

/** The account and the desired instance of one resource, with every referenced Secret value read. */
public record ResolvedInputs(AccountCredentials account, DesiredInstance desired) {

  /** A one-way fingerprint of all inputs, secret values included, to notice any change. */
  public String fingerprint() {
    String code = desired.authorization() instanceof DesiredInstance.OAuth o && o.authorizationCode() != null
        ? o.authorizationCode() : "";
    return "sha256:" + Fingerprints.sha256Hex(String.join("\n", account.userSecret(), account.organizationSecret(),
        desired.name(), String.join(",", desired.allTags()), code,
        InstanceRequestBody.configuration(desired).toString()));
  }

  /** The fingerprint of the OAuth authorization code, or null with basic authorization or without a code. */
  public String authorizationCodeFingerprint() {
    return desired.authorization() instanceof DesiredInstance.OAuth o && o.authorizationCode() != null
        ? Fingerprints.of(o.authorizationCode()) : null;
  }
}
