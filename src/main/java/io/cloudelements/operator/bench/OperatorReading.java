package io.cloudelements.operator.bench;

import io.cloudelements.operator.runtime.ApiServerRequests;
import java.util.Map;

/** The operator's CPU time and API-server request timings at one moment. */
record OperatorReading(long cpuNanos, Map<String, ApiServerRequests.Totals> apiServer) {

  static OperatorReading of(OperatorUnderTest operator) {
    return new OperatorReading(operator.cpuNanos(), operator.apiServerRequests());
  }

  long cpuSince(OperatorReading before) {
    return cpuNanos < 0 || before.cpuNanos < 0 ? -1 : cpuNanos - before.cpuNanos;
  }
}
