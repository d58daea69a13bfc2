package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which updates of a resource reconcile it: the operator's own finalizer and intent writes do not
 * (the reconcile that made them already acted), every change by someone else does.
 */
class MetadataChangeFilterTest {

  private static final String FINALIZER = CampaignMonitorInstanceReconciler.FINALIZER;

  private final MetadataChangeFilter filter = new MetadataChangeFilter();

  private static CampaignMonitorInstance resource() {
    CampaignMonitorInstance cr = ReconcilerDriver.oauthResource();
    cr.setStatus(new CampaignMonitorInstanceStatus());
    cr.getMetadata().setAnnotations(new HashMap<>(Map.of("team", "a")));
    cr.getMetadata().setFinalizers(new ArrayList<>(List.of("other.io/keep")));
    return cr;
  }

  private boolean reconciles(Consumer<CampaignMonitorInstance> change) {
    CampaignMonitorInstance before = resource();
    CampaignMonitorInstance after = resource();
    change.accept(after);
    return filter.accept(after, before);
  }

  @Test
  void theOperatorsOwnFinalizerAndIntentDoNotReconcile() {
    assertThat(reconciles(cr -> cr.getMetadata().getFinalizers().add(FINALIZER))).isFalse();
    assertThat(
            reconciles(
                cr -> {
                  cr.getMetadata().getFinalizers().add(FINALIZER);
                  cr.getMetadata()
                      .getAnnotations()
                      .put(CreateIntent.ANNOTATION, "2026-12-05T10:00:00Z");
                }))
        .isFalse();
    assertThat(reconciles(cr -> cr.getStatus().setInstanceId(1000L))).isFalse();
  }

  @Test
  void changesBySomeoneElseDo() {
    assertThat(reconciles(cr -> cr.getMetadata().setGeneration(2L))).isTrue();
    assertThat(reconciles(cr -> cr.getMetadata().getAnnotations().put("team", "b"))).isTrue();
    assertThat(reconciles(cr -> cr.getMetadata().getFinalizers().add("another.io/hold"))).isTrue();
    assertThat(reconciles(cr -> cr.getMetadata().getFinalizers().clear())).isTrue();
    assertThat(reconciles(cr -> cr.getMetadata().setDeletionTimestamp("2026-12-05T10:00:00Z")))
        .isTrue();
  }

  @Test
  void removingTheOperatorsFinalizerDoes() {
    CampaignMonitorInstance before = resource();
    before.getMetadata().getFinalizers().add(FINALIZER);
    CampaignMonitorInstance after = resource();

    assertThat(filter.accept(after, before)).isTrue();
  }
}
