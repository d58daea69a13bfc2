package io.cloudelements.operator.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of the simulated API: its status, message and extra headers (no stack trace is
 * kept).
 */
final class ApiException extends RuntimeException {

  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(long id) {
    return new ApiException(404, "No element instance found with id " + id);
  }

  ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
