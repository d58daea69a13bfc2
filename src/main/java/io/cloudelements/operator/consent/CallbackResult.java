package io.cloudelements.operator.consent;

/**
 * Every answer of the OAuth callback endpoint: its HTTP status, its {@code result} tag in {@code
 * oauth_callbacks_total}, and the sentence a bad one shows. No answer repeats anything from the
 * request.
 */
public enum CallbackResult {
  APPROVED(200, "approved", null),
  DENIED(200, "denied", null),
  CHECKED(200, "head", null),
  NOT_FOUND(
      404, "not_found", "There is nothing at this path; the OAuth callback is /oauth/callback."),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Only GET and HEAD are served."),
  QUERY_TOO_LARGE(414, "query_too_large", "The query is longer than 4 KiB."),
  HEADERS_TOO_LARGE(431, "headers_too_large", "The request headers are too large."),
  MALFORMED_QUERY(400, "malformed_query", "The query is not valid URL encoding."),
  REPEATED_PARAMETER(
      400, "repeated_parameter", "A parameter (code, state or error) appears more than once."),
  MISSING_STATE(400, "missing_state", "The state parameter is missing."),
  INVALID_STATE(
      400,
      "invalid_state",
      "The state is not one this operator issued: it is forged, altered or " + "malformed."),
  EXPIRED_STATE(
      410,
      "expired_state",
      "The state has expired. The resource starts a new consent; open the new URL "
          + "in its status.authorization.url."),
  UNKNOWN_RESOURCE(
      404, "unknown_resource", "The state belongs to a resource that no longer exists."),
  SUPERSEDED_STATE(
      409,
      "superseded_state",
      "The state belongs to an earlier consent of this resource; open the URL "
          + "in its status.authorization.url."),
  REPLAYED_STATE(409, "replayed_state", "The state was already used; each consent URL works once."),
  MISSING_CODE(400, "missing_code", "The authorization code is missing."),
  INVALID_CODE(
      400,
      "invalid_code",
      "The authorization code is too long or holds characters a code never has."),
  CODE_SECRET_CONFLICT(
      409,
      "code_secret_conflict",
      "The Secret for the code already exists and is not controlled "
          + "by this resource; nothing was written."),
  BUSY(503, "busy", "The resource changed while the callback was handled; try the same URL again."),
  FAILED(
      500, "error", "The code could not be stored; nothing was used up, try the same URL again.");

  private final int status;
  private final String tag;
  private final String problem;

  CallbackResult(int status, String tag, String problem) {
    this.status = status;
    this.tag = tag;
    this.problem = problem;
  }

  public int status() {
    return status;
  }

  /** The value of the {@code result} tag of {@code oauth_callbacks_total}. */
  public String tag() {
    return tag;
  }

  /** What went wrong, for the plain page of a bad callback; null for a good one. */
  public String problem() {
    return problem;
  }
}
