package io.cloudelements.operator.simulator;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code Authorization: User <user secret>, Organization <organization secret>[, Element
 * <token>]} in constant time, and never echoes what was sent.
 */
final class Authorization {

  private final byte[] userSecret;
  private final byte[] organizationSecret;

  Authorization(SimulatorOptions options) {
    this.userSecret = bytes(options.userSecret());
    this.organizationSecret = bytes(options.organizationSecret());
  }

  void authenticate(Headers headers) {
    List<String> values = headers.get("Authorization");
    if (values == null || values.size() != 1 || !matches(values.get(0))) {
      throw new ApiException(
          401,
          "Invalid or missing credentials: expected the header "
              + "Authorization: User <user secret>, Organization <organization secret>");
    }
  }

  private boolean matches(String header) {
    String user = null;
    String organization = null;
    boolean element = false;
    for (String part : header.split(",", -1)) {
      String trimmed = part.strip();
      String[] words = trimmed.split("\\s+", 2);
      if (words.length != 2 || words[1].isBlank()) {
        return false;
      }
      String value = words[1].strip();
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "user" -> {
          if (user != null) {
            return false;
          }
          user = value;
        }
        case "organization" -> {
          if (organization != null) {
            return false;
          }
          organization = value;
        }
        case "element" -> {
          if (element) {
            return false;
          }
          element = true;
        }
        default -> {
          return false;
        }
      }
    }
    if (user == null || organization == null) {
      return false;
    }
    boolean userMatches = MessageDigest.isEqual(bytes(user), userSecret);
    boolean organizationMatches = MessageDigest.isEqual(bytes(organization), organizationSecret);
    return userMatches && organizationMatches;
  }

  private static byte[] bytes(String value) {
    return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
  }
}
