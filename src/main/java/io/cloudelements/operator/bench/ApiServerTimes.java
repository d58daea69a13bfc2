package io.cloudelements.operator.bench;

import io.cloudelements.operator.runtime.ApiServerRequests;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's requests to the API server in one phase, by verb, as its client timed them
 * (watches excluded): how many, and their mean time from send to response headers.
 */
record ApiServerTimes(Map<String, Long> counts, Map<String, Duration> means) {

  static final ApiServerTimes UNKNOWN = new ApiServerTimes(Map.of(), Map.of());

  ApiServerTimes {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
  }

  /** The requests between two readings of the same timer; verbs without a request are left out. */
  static ApiServerTimes between(
      Map<String, ApiServerRequests.Totals> before, Map<String, ApiServerRequests.Totals> after) {
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Duration> means = new LinkedHashMap<>();
    for (String verb : ApiServerRequests.VERBS) {
      ApiServerRequests.Totals from = before.getOrDefault(verb, new ApiServerRequests.Totals(0, 0));
      ApiServerRequests.Totals to = after.getOrDefault(verb, new ApiServerRequests.Totals(0, 0));
      long count = to.count() - from.count();
      if (count > 0) {
        counts.put(verb, count);
        means.put(verb, Duration.ofNanos((to.nanos() - from.nanos()) / count));
      }
    }
    return new ApiServerTimes(counts, means);
  }

  /** "patch 300 x 31.2 ms, create 200 x 30.9 ms", or "none". */
  String describe() {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (verb, count) ->
            text.append(text.length() == 0 ? "" : ", ")
                .append(verb)
                .append(' ')
                .append(count)
                .append(" x ")
                .append(String.format(Locale.ROOT, "%.1f ms", means.get(verb).toNanos() / 1e6)));
    return text.toString();
  }
}
