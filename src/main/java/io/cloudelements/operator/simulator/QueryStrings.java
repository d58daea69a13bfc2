package io.cloudelements.operator.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query strings and URLs: decoding, masking secrets for the log, required parameters. */
final class QueryStrings {

  private QueryStrings() {}

  /** Decodes a raw query; repeated names keep every value in order. */
  static Map<String, List<String>> parse(String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        String value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
        result.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Malformed query string");
      }
    }
    return result;
  }

  /** The raw query with the values of secret parameters replaced by {@code ********}. */
  static String mask(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    StringBuilder masked = new StringBuilder();
    for (String pair : rawQuery.split("&", -1)) {
      if (masked.length() > 0 || rawQuery.startsWith("&")) {
        masked.append('&');
      }
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String name;
      try {
        name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        name = rawName;
      }
      if (equals >= 0 && Secrets.isSecretQueryParameter(name.strip())) {
        masked.append(rawName).append('=').append(Secrets.MASK);
      } else {
        masked.append(pair);
      }
    }
    return masked.toString();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String firstOrNull(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static String require(Map<String, List<String>> query, String name) {
    String value = firstOrNull(query, name);
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("The query parameter " + name + " is required");
    }
    return value;
  }

  static void requireHttpUrl(String url, String name) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null
          || uri.getRawFragment() != null) {
        throw ApiException.badRequest(name + " must be an absolute http(s) URL without fragment");
      }
    } catch (URISyntaxException e) {
      throw ApiException.badRequest(name + " must be an absolute http(s) URL without fragment");
    }
  }
}
