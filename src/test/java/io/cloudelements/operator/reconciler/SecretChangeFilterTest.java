package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretChangeFilterTest {

  private final SecretChangeFilter filter = new SecretChangeFilter();
  private final Secret before =
      new SecretBuilder()
          .withNewMetadata()
          .withName("account")
          .withResourceVersion("1")
          .endMetadata()
          .addToData("apiKey", "YQ==")
          .build();

  @Test
  void anInUseFinalizerAloneIsNoReasonToReconcile() {
    Secret after =
        new SecretBuilder(before)
            .editMetadata()
            .withResourceVersion("2")
            .withFinalizers(List.of(CredentialsGuard.IN_USE))
            .endMetadata()
            .build();

    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void changedDataLabelsOrADeletionAre() {
    assertThat(filter.accept(new SecretBuilder(before).addToData("apiKey", "Yg==").build(), before))
        .isTrue();
    assertThat(
            filter.accept(
                new SecretBuilder(before)
                    .editMetadata()
                    .withLabels(Map.of("a", "b"))
                    .endMetadata()
                    .build(),
                before))
        .isTrue();
    assertThat(
            filter.accept(
                new SecretBuilder(before)
                    .editMetadata()
                    .withDeletionTimestamp("2026-12-05T10:00:00Z")
                    .endMetadata()
                    .build(),
                before))
        .isTrue();
  }
}
