package io.cloudelements.operator.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An answer about to be sent: status, body bytes (null: none) and headers. */
final class Response {

  final int status;
  final byte[] body;
  final Map<String, String> headers = new LinkedHashMap<>();

  Response(int status, byte[] body) {
    this.status = status;
    this.body = body;
  }

  Response header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
