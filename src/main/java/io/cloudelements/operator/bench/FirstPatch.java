package io.cloudelements.operator.bench;

import io.cloudelements.operator.embedded.ObservedCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notes when the API server first sees a PATCH of a CampaignMonitorInstance: the finalizer that the
 * operator's very first reconcile adds. Lets every request through.
 */
final class FirstPatch implements ObservedCrudDispatcher.Interceptor {

  private final AtomicReference<Instant> at = new AtomicReference<>();

  @Override
  public MockResponse apply(RecordedRequest request) {
    if (at.get() == null
        && "PATCH".equalsIgnoreCase(request.getMethod())
        && request.getPath() != null
        && request.getPath().contains("/campaignmonitorinstances/")) {
      at.compareAndSet(null, Instant.now());
    }
    return null;
  }

  Instant at() {
    return at.get();
  }
}
