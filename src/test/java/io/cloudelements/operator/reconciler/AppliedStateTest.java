package io.cloudelements.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.cloudelements.DesiredInstance;
import io.cloudelements.operator.cloudelements.InstancePatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedStateTest {

  private static DesiredInstance desired(
      String name, String consumerKey, DesiredInstance.Events events) {
    return new DesiredInstance(
        name,
        List.of("team-a"),
        "owner-tag",
        new DesiredInstance.OAuth("https://cb", consumerKey, "cs", "code"),
        events);
  }

  @Test
  void nothingChangedMeansNoPatch() {
    DesiredInstance d = desired("n", "ck", null);

    assertThat(AppliedState.patch(d, AppliedState.fingerprints(d)).isEmpty()).isTrue();
  }

  @Test
  void aFirstApplySendsEveryPart() {
    InstancePatch patch = AppliedState.patch(desired("n", "ck", null), null);

    assertThat(patch.changedParts()).contains("name", "tags", "configuration.oauth.api.key");
    assertThat(patch.body().get("tags")).hasSize(2);
  }

  @Test
  void onlyTheChangedPartsAreSentAndSecretValuesAreListedForScrubbing() {
    Map<String, String> applied = AppliedState.fingerprints(desired("n", "ck", null));

    InstancePatch patch = AppliedState.patch(desired("n", "ck-2", null), applied);

    assertThat(patch.changedParts()).containsExactly("configuration.oauth.api.key");
    assertThat(patch.body().has("name")).isFalse();
    assertThat(patch.body().get("configuration").get("oauth.api.key").asText()).isEqualTo("ck-2");
    assertThat(patch.secretValues()).containsExactly("ck-2");
    assertThat(patch.toString()).doesNotContain("ck-2");
  }

  @Test
  void removedConfigurationKeysAreClearedAndEventsTurnedOff() {
    Map<String, String> applied =
        AppliedState.fingerprints(
            desired("n", "ck", new DesiredInstance.Events(true, "https://hook", List.of("l1"))));

    InstancePatch patch = AppliedState.patch(desired("n", "ck", null), applied);

    assertThat(patch.body().get("configuration").get("event.notification.enabled").asBoolean())
        .isFalse();
    assertThat(patch.body().get("configuration").get("event.notification.callback.url").asText())
        .isEmpty();
    assertThat(patch.body().get("configuration").get("events.list.ids").asText()).isEmpty();
  }
}
