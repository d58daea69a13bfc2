package io.cloudelements.operator.reconciler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudelements.operator.cloudelements.AccountCredentials;
import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.Fingerprints;
import io.cloudelements.operator.cloudelements.InstanceRequestBody;
import io.cloudelements.operator.webhook.WebhookKeyPlanner;

/**
 * The account and the desired instance of one resource, with every referenced Secret value read.
 *
 * @param webhookKey the plan for the webhook signature key, whose key (if any) is in {@code
 *     desired}
 */
public record ResolvedInputs(
    AccountCredentials account, DesiredInstance desired, WebhookKeyPlanner.Plan webhookKey) {

  /**
   * A one-way fingerprint of all inputs, secret values included, to notice any change. A signature
   * key made just now is left out: it is new on every attempt, and must not make a terminal error
   * look like new inputs.
   */
  public String fingerprint() {
    String code =
        desired.authorization() instanceof DesiredInstance.OAuth o && o.authorizationCode() != null
            ? o.authorizationCode()
            : "";
    ObjectNode configuration = InstanceRequestBody.configuration(desired);
    if (webhookKey.newlyGenerated()) {
      configuration.remove(InstanceRequestBody.SIGNATURE_KEY);
    }
    return "sha256:"
        + Fingerprints.sha256Hex(
            String.join(
                "\n",
                account.userSecret(),
                account.organizationSecret(),
                desired.name(),
                String.join(",", desired.allTags()),
                code,
                configuration.toString()));
  }

  /**
   * The fingerprint of the OAuth authorization code, or null with basic authorization or without a
   * code.
   */
  public String authorizationCodeFingerprint() {
    return desired.authorization() instanceof DesiredInstance.OAuth o
            && o.authorizationCode() != null
        ? Fingerprints.of(o.authorizationCode())
        : null;
  }
}
