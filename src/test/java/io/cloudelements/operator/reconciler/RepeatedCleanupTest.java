package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.DeletionPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cleanup runs again for the same resource when removing the finalizer failed (the API server
 * refused the patch, say): the remote instance is still deleted exactly once, and the memory of it
 * goes with the resource's delete event.
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
  void aSecondCleanupAfterAFailedFinalizerRemovalSendsNoSecondDelete() {
    driver.context.failNextMetadataPatch();
    assertThatThrownBy(driver::cleanup).isInstanceOf(KubernetesClientException.class);
    assertThat(driver.finalizerHolds()).isTrue();

    driver.cleanup();

    assertThat(driver.finalizerHolds()).isFalse();
    assertThat(driver.cloud.calls()).containsExactly("DELETE /instances/" + id);
    assertThat(driver.events.reasons()).containsOnlyOnce("Normal Deleted");
    assertThat(driver.credentialsHeld()).isFalse();
  }

  @Test
  void aSecondCleanupOfAnOrphanedResourceAnnouncesNothingAgain() {
    driver.cr.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    driver.context.failNextMetadataPatch();
    assertThatThrownBy(driver::cleanup).isInstanceOf(KubernetesClientException.class);

    driver.cleanup();

    assertThat(driver.finalizerHolds()).isFalse();
    assertThat(driver.cloud.calls()).isEmpty();
    assertThat(driver.cloud.instance(id)).isPresent();
    assertThat(driver.events.reasons()).containsOnlyOnce("Normal Orphaned");
  }

  @Test
  void aFailedFinalizerRemovalIsRetriedWithoutAStatusWrite() {
    driver.context.failNextMetadataPatch();
    Exception failure = new KubernetesClientException("refused", 500, null);
    assertThatThrownBy(driver::cleanup).isInstanceOf(KubernetesClientException.class);
    int patches = driver.context.statusPatches();

    var control = driver.reconciler.updateErrorStatus(driver.cr, driver.context, failure);

    assertThat(control.getResource()).isEmpty();
    assertThat(driver.context.statusPatches()).isEqualTo(patches);
  }

  @Test
  void aNewResourceWithTheSameNameIsCleanedUpAgain() {
    driver.cleanup();
    driver.deleteEvent();
    driver.secrets.remove(ReconcilerDriver.OUTPUT);
    CampaignMonitorInstance again = ReconcilerDriver.oauthResource();
    again.getMetadata().setUid("uid-story-2");
    driver.context.add(again);
    driver.secrets.put("cm-code", "code", "code-2");
    driver.reconcile(again);
    assertThat(again.getStatus().getInstanceId()).isNotNull().isNotEqualTo(id);
    again.getMetadata().setDeletionTimestamp("2026-01-05T09:05:00Z");
    driver.cloud.clearCalls();

    driver.reconcile(again);

    assertThat(driver.cloud.calls())
        .containsExactly("DELETE /instances/" + again.getStatus().getInstanceId());
    assertThat(again.hasFinalizer(CampaignMonitorInstanceReconciler.FINALIZER)).isFalse();
  }

  @Test
  void theMemoryStaysUntilTheDeleteEvent() {
    driver.cleanup();
    CampaignMonitorInstance other = ReconcilerDriver.oauthResource();
    other.getMetadata().setName("other");
    other.getMetadata().setUid("uid-other");
    driver.context.add(other);
    driver.reconcile(other);
    assertThat(driver.reconciler.remembered()).isEqualTo(2);

    driver.deleteEvent();

    assertThat(driver.reconciler.remembered()).isOne();
    assertThat(driver.cloud.calls()).containsOnlyOnce("DELETE /instances/" + id);
  }
}
