package io.cloudelements.operator.runtime;

import static io.cloudelements.operator.testing.LocalHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudelements.operator.config.OperatorConfig;
import io.cloudelements.operator.testing.OperatorStack;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators against one embedded Kubernetes API, electing a leader with a Lease: only the
 * leader reconciles and is ready; the standby takes over within the lease duration once the leader
 * stops.
 */
class LeaderElectionTest {

  private static final String LEASE_NAMESPACE = "operators";
  private static final Duration LEASE = Duration.ofSeconds(2);

  private OperatorStack stack;
  private OperatorRuntime first;
  private OperatorRuntime second;
  private final AtomicInteger lost = new AtomicInteger();

  @BeforeEach
  void start() {
    stack = OperatorStack.builder().withoutOperator().resync(Duration.ofMinutes(1)).start();
  }

  @AfterEach
  void stop() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    stack.close();
  }

  private OperatorRuntime replica(String identity) {
    return stack.newRuntime(
        identity,
        c -> c.withLeaderElection(LEASE_NAMESPACE),
        f ->
            f.leaseTimings(LEASE, Duration.ofMillis(1500), Duration.ofMillis(250))
                .onLostLeadership(lost::incrementAndGet));
  }

  private static double reconciles(OperatorRuntime runtime) {
    return runtime.registry().find("reconciliations.started.total").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private Lease lease() {
    return stack
        .client()
        .leases()
        .inNamespace(LEASE_NAMESPACE)
        .withName(OperatorConfig.DEFAULT_LEASE_NAME)
        .get();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItStops() {
    first = replica("replica-a");
    first.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> first.leadership().mayReconcile());
    second = replica("replica-b");
    second.start();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "replica-a".equals(second.leadership().currentLeader()));

    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    assertThat(get(first.managementPort(), "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(first.managementPort(), "/readyz").body()).isEqualTo("ok (leader)\n");
    var standby = get(second.managementPort(), "/readyz");
    assertThat(standby.statusCode()).isEqualTo(503);
    assertThat(standby.body())
        .isEqualTo("standby: not the leader (the Lease is held by replica-a)\n");
    assertThat(get(second.managementPort(), "/healthz").statusCode()).isEqualTo(200);

    stack.applyBasic("first");
    stack.awaitReason("first", "Available");
    assertThat(reconciles(first)).isPositive();
    assertThat(reconciles(second)).isZero();
    assertThat(get(second.managementPort(), "/metrics").body())
        .doesNotContain("campaignmonitorinstances{");

    long stoppedAt = System.nanoTime();
    first.close();
    await()
        .atMost(LEASE.multipliedBy(4))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(second.managementPort(), "/readyz").statusCode() == 200);
    Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
    assertThat(takeover).isLessThan(LEASE.multipliedBy(3));

    stack.applyBasic("second");
    stack.awaitReason("second", "Available");
    assertThat(reconciles(second)).isPositive();
    assertThat(get(second.managementPort(), "/metrics").body())
        .contains(
            "campaignmonitorinstances{namespace=\"team-a\",ready=\"True\",reason=\"Available\"} 2.0");
    assertThat(lost).hasValue(0);
  }

  @Test
  void aLeaderThatLosesItsLeaseStopsBeingReadyAndReportsTheLoss() {
    first = replica("replica-a");
    first.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> first.leadership().mayReconcile());

    // Another holder takes the Lease over, as after a network partition; a renewal in between is a
    // conflict.
    await().atMost(Duration.ofSeconds(10)).until(this::intruderTakesTheLease);

    await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() == 1);
    assertThat(first.leadership().mayReconcile()).isFalse();
    assertThat(get(first.managementPort(), "/readyz").statusCode()).isEqualTo(503);
  }

  private boolean intruderTakesTheLease() {
    try {
      stack
          .client()
          .leases()
          .inNamespace(LEASE_NAMESPACE)
          .withName(OperatorConfig.DEFAULT_LEASE_NAME)
          .edit(
              l -> {
                l.getSpec().setHolderIdentity("intruder");
                l.getSpec().setLeaseDurationSeconds(60);
                l.getSpec().setRenewTime(ZonedDateTime.now());
                l.getSpec().setAcquireTime(ZonedDateTime.now());
                return l;
              });
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }
}
