package io.cloudelements.operator.cloudelements;

import java.util.List;

/**
 * The part of the Cloud Elements platform API that the operator uses. Failures throw {@link
 * CloudElementsException}.
 */
public interface CloudElementsClient {

  /** {@code POST /instances}. */
  RemoteInstance create(AccountCredentials account, DesiredInstance desired);

  /**
   * {@code GET /instances?tags[]=tag}; empty when Cloud Elements answers 404 (its way of saying
   * "none").
   */
  List<RemoteInstance> findByTag(AccountCredentials account, String tag);

  /** {@code GET /instances/{id}}; a 404 throws with {@link CloudElementsException#isNotFound()}. */
  RemoteInstance get(AccountCredentials account, long id);

  /**
   * {@code PATCH /instances/{id}} with a partial body: name, tags (replaces all), configuration
   * (keys sent).
   */
  RemoteInstance update(AccountCredentials account, long id, InstancePatch patch);

  /**
   * {@code PUT /instances/{id}?reAuthenticate=true} with a fresh OAuth code; the answer carries a
   * new token.
   */
  RemoteInstance reauthorize(AccountCredentials account, long id, DesiredInstance desired);

  /**
   * {@code GET /elements/campaignmonitor/oauth/url}: the provider page where a person grants
   * access; the provider then redirects to the request's callback URL with {@code code} and {@code
   * state}.
   */
  String consentUrl(AccountCredentials account, ConsentRequest request);

  /** {@code DELETE /instances/{id}}; false when it was already gone (404). */
  boolean delete(AccountCredentials account, long id);
}
