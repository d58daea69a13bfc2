package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.DeletionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JOSDK calls cleanup again for the same resource when removing the finalizer failed (e.g. the API
 * server deleted the object at once and answered without it): the remote instance is still deleted
 * exactly once.
 */
class RepeatedCleanupTest {

  private final ReconcilerDriver driver = new ReconcilerDriver();
  private long id;

  @BeforeEach
  void createTheInstance() {
    driver.reconcile();
    assertThat(driver.reason()).isEqualTo(ReadyReason.AVAILABLE);
    id = driver.cr.getStatus().getInstanceId();
    driver.cloud.clearCalls();
  }

  @Test
  void aSecondCleanupOfTheSameResourceSendsNoSecondDelete() {
    assertThat(driver.cleanup().isRemoveFinalizer()).isTrue();

    assertThat(driver.cleanup().isRemoveFinalizer()).isTrue();

    assertThat(driver.cloud.calls()).containsExactly("DELETE /instances/" + id);
    assertThat(driver.events.reasons()).containsOnlyOnce("Normal Deleted");
    assertThat(driver.credentialsHeld()).isFalse();
  }

  @Test
  void aSecondCleanupOfAnOrphanedResourceAnnouncesNothingAgain() {
    driver.cr.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);

    driver.cleanup();
    driver.cleanup();

    assertThat(driver.cloud.calls()).isEmpty();
    assertThat(driver.cloud.instance(id)).isPresent();
    assertThat(driver.events.reasons()).containsOnlyOnce("Normal Orphaned");
  }

  @Test
  void aNewResourceWithTheSameNameIsCleanedUpAgain() {
    driver.cleanup();
    driver.context.remove(driver.cr);
    driver.secrets.remove(ReconcilerDriver.OUTPUT);
    CampaignMonitorInstance again = ReconcilerDriver.oauthResource();
    again.getMetadata().setUid("uid-story-2");
    driver.context.add(again);
    driver.secrets.put("cm-code", "code", "code-2");
    driver.reconciler.reconcile(again, driver.context);
    assertThat(again.getStatus().getInstanceId()).isNotNull().isNotEqualTo(id);
    again.getMetadata().setDeletionTimestamp("2026-01-05T09:05:00Z");
    driver.cloud.clearCalls();

    driver.reconciler.cleanup(again, driver.context);

    assertThat(driver.cloud.calls())
        .containsExactly("DELETE /instances/" + again.getStatus().getInstanceId());
  }

  @Test
  void theMemoryStaysWhileTheResourceIsCachedAndGoesAfterItLeft() {
    driver.cleanup();
    CampaignMonitorInstance other = otherResource();
    driver.advance(ResourceMemories.GRACE.plusSeconds(1));

    driver.reconciler.reconcile(other, driver.context);
    assertThat(driver.reconciler.remembered()).isEqualTo(2);
    assertThat(driver.cleanup().isRemoveFinalizer()).isTrue();
    assertThat(driver.cloud.calls()).containsOnlyOnce("DELETE /instances/" + id);

    driver.context.remove(driver.cr);
    driver.reconciler.reconcile(other, driver.context);
    assertThat(driver.reconciler.remembered()).isOne();
  }

  @Test
  void theMemoryOutlivesTheCacheByTheGraceForAQueuedExecution() {
    driver.cleanup();
    driver.context.remove(driver.cr);
    CampaignMonitorInstance other = otherResource();

    driver.reconciler.reconcile(other, driver.context);
    assertThat(driver.reconciler.remembered()).isEqualTo(2);
    assertThat(driver.cleanup().isRemoveFinalizer()).isTrue();
    assertThat(driver.cloud.calls()).containsOnlyOnce("DELETE /instances/" + id);

    driver.advance(ResourceMemories.GRACE.plus(Duration.ofSeconds(1)));
    driver.reconciler.reconcile(other, driver.context);
    assertThat(driver.reconciler.remembered()).isOne();
  }

  /** A second resource, reconciled to keep the reconciler busy while the first one is gone. */
  private CampaignMonitorInstance otherResource() {
    CampaignMonitorInstance other = ReconcilerDriver.oauthResource();
    other.getMetadata().setName("other");
    other.getMetadata().setUid("uid-other");
    driver.context.add(other);
    return other;
  }
}
