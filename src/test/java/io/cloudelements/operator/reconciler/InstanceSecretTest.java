package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.RemoteInstance;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceSecretTest {

  private final CampaignMonitorInstance cr = ReconcilerDriver.oauthResource();
  private final FakeSecrets secrets = new FakeSecrets();
  private final RemoteInstance instance =
      new RemoteInstance(7, "n", "tok-7", List.of(), true, false);

  @Test
  void theNameDefaultsToTheResourceNameWithASuffix() {
    assertThat(InstanceSecret.nameOf(cr)).isEqualTo("story-instance");
    cr.getSpec().setSecretName("mine");
    assertThat(InstanceSecret.nameOf(cr)).isEqualTo("mine");
  }

  @Test
  void writesOnceThenOnlyWhenTheContentDrifted() {
    assertThat(InstanceSecret.write(secrets, cr, Optional.empty(), instance, null)).isTrue();
    Secret written = secrets.get("story-instance").orElseThrow();
    assertThat(InstanceSecret.isControlledBy(written, cr)).isTrue();
    assertThat(InstanceSecret.recordedId(written)).contains(7L);
    assertThat(InstanceSecret.token(written)).contains("tok-7");

    assertThat(InstanceSecret.write(secrets, cr, Optional.of(written), instance, null)).isFalse();

    secrets.put("story-instance", "id", "7", "token", "edited");
    assertThat(InstanceSecret.write(secrets, cr, secrets.get("story-instance"), instance, null))
        .isTrue();
    assertThat(InstanceSecret.token(secrets.get("story-instance").orElseThrow())).contains("tok-7");
    assertThat(secrets.writes()).containsExactly("create story-instance", "update story-instance");
  }

  @Test
  void theWebhookSignatureKeyIsWrittenNextToIdAndTokenAndRemovedWhenThereIsNone() {
    InstanceSecret.write(secrets, cr, Optional.empty(), instance, "key-1");
    Secret written = secrets.get("story-instance").orElseThrow();
    assertThat(InstanceSecret.signatureKey(written)).contains("key-1");
    assertThat(written.getData()).containsOnlyKeys("id", "token", "webhookSignatureKey");
    assertThat(InstanceSecret.write(secrets, cr, Optional.of(written), instance, "key-1"))
        .isFalse();

    assertThat(InstanceSecret.write(secrets, cr, Optional.of(written), instance, "key-2")).isTrue();
    assertThat(InstanceSecret.signatureKey(secrets.get("story-instance").orElseThrow()))
        .contains("key-2");

    assertThat(InstanceSecret.write(secrets, cr, secrets.get("story-instance"), instance, null))
        .isTrue();
    Secret unsigned = secrets.get("story-instance").orElseThrow();
    assertThat(unsigned.getData()).containsOnlyKeys("id", "token");
    assertThat(InstanceSecret.holds(unsigned, cr, instance)).isTrue();
    assertThat(
            InstanceSecret.holds(
                unsigned, cr, new RemoteInstance(7, "n", "tok-8", List.of(), true, false)))
        .isFalse();
  }

  @Test
  void anUnreadableIdIsNoId() {
    secrets.put("s", "id", "not-a-number", "token", " ");
    Secret s = secrets.get("s").orElseThrow();

    assertThat(InstanceSecret.recordedId(s)).isEmpty();
    assertThat(InstanceSecret.token(s)).isEmpty();
  }

  @Test
  void withoutOwnerDropsOnlyThisResourcesReference() {
    InstanceSecret.write(secrets, cr, Optional.empty(), instance, null);

    Secret released = InstanceSecret.withoutOwner(secrets.get("story-instance").orElseThrow(), cr);

    assertThat(released.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(InstanceSecret.isControlledBy(released, cr)).isFalse();
  }
}
