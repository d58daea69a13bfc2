package io.cloudelements.operator.reliability;

import io.cloudelements.operator.embedded.ObservedCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops one write of the operator at the embedded API server, for crash tests: the write is never
 * applied, and its answer (a 503) is held back long enough for the test to kill the operator while
 * it waits. The create intent (the metadata patch that sets the annotation {@code
 * cloudelements.io/create-pending}, with the finalizer on a first create) is the exception: it is
 * applied, and only its answer is held, so the operator dies after the API server stored it and
 * before its POST. The mock server answers on an event loop, so the hold is a delayed answer, not a
 * blocked thread.
 */
final class KubeGate implements ObservedCrudDispatcher.Interceptor {

  /** Which write to stop. */
  enum Target {
    SECRET_CREATE,
    STATUS_WRITE,
    INTENT_WRITE
  }

  private static final Duration ANSWER_DELAY = Duration.ofSeconds(30);

  private final String token;
  private final ObservedCrudDispatcher dispatcher;

  /** Set while the gate lets the dispatcher apply a held intent write. */
  private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> false);

  private volatile Target target;
  private volatile String namespace;
  private volatile String resourceName;
  private volatile String secretName;
  private volatile boolean secretPassed;
  private volatile CountDownLatch held = new CountDownLatch(1);

  KubeGate(String operatorToken, ObservedCrudDispatcher dispatcher) {
    this.token = operatorToken;
    this.dispatcher = dispatcher;
  }

  /** Arms the gate for one resource; the next matching write of the operator is held. */
  synchronized void arm(Target what, String ns, String resource, String outputSecret) {
    this.namespace = ns;
    this.resourceName = resource;
    this.secretName = outputSecret;
    this.secretPassed = false;
    this.held = new CountDownLatch(1);
    this.target = what;
  }

  synchronized void disarm() {
    this.target = null;
  }

  boolean awaitHeld(Duration timeout) throws InterruptedException {
    return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public MockResponse apply(RecordedRequest request) {
    Target armed = target;
    if (armed == null
        || applying.get()
        || !("Bearer " + token).equals(request.getHeader("Authorization"))) {
      return null;
    }
    String path = request.getPath() == null ? "" : request.getPath().split("\\?")[0];
    String method = request.getMethod();
    boolean secretCreate =
        "POST".equals(method)
            && path.equals("/api/v1/namespaces/" + namespace + "/secrets")
            && ApiCall.body(request).contains("\"name\":\"" + secretName + "\"");
    if (armed == Target.SECRET_CREATE && secretCreate) {
      return hold();
    }
    boolean metadataPatchOfResource =
        "PATCH".equals(method)
            && path.equals(
                "/apis/cloudelements.io/v1alpha1/namespaces/"
                    + namespace
                    + "/campaignmonitorinstances/"
                    + resourceName);
    if (armed == Target.INTENT_WRITE
        && metadataPatchOfResource
        && ApiCall.body(request).contains("create-pending")) {
      return applyThenHold(request);
    }
    if (armed == Target.STATUS_WRITE) {
      if (secretCreate) {
        secretPassed = true;
        return null;
      }
      boolean statusWrite =
          ("PATCH".equals(method) || "PUT".equals(method))
              && path.equals(
                  "/apis/cloudelements.io/v1alpha1/namespaces/"
                      + namespace
                      + "/campaignmonitorinstances/"
                      + resourceName
                      + "/status");
      if (statusWrite && secretPassed) {
        return hold();
      }
    }
    return null;
  }

  /** The write takes effect now; only its answer is held back. */
  private MockResponse applyThenHold(RecordedRequest request) {
    MockResponse applied;
    applying.set(true);
    try {
      applied = dispatcher.dispatch(request);
    } finally {
      applying.set(false);
    }
    held.countDown();
    return applied.setBodyDelay(ANSWER_DELAY);
  }

  private MockResponse hold() {
    held.countDown();
    return new MockResponse()
        .setResponseCode(503)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503,"
                + "\"reason\":\"ServiceUnavailable\",\"message\":\"held by the crash test\"}")
        .setBodyDelay(ANSWER_DELAY);
  }
}
