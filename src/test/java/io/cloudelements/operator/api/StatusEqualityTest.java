package io.cloudelements.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reconciler decides whether to write the status with {@code equals}: every field must take
 * part, also a field added later.
 */
class StatusEqualityTest {

  @Test
  void everyFieldOfTheStatusTakesPartInEquals() throws Exception {
    assertEveryFieldCounts(CampaignMonitorInstanceStatus.class);
  }

  @Test
  void everyFieldOfTheAuthorizationTakesPartInEquals() throws Exception {
    assertEveryFieldCounts(AuthorizationStatus.class);
  }

  @Test
  void everyFieldOfAConditionTakesPartInEquals() throws Exception {
    assertEveryFieldCounts(Condition.class);
  }

  @Test
  void equalContentIsEqualWhateverTheCollectionClass() {
    CampaignMonitorInstanceStatus a = new CampaignMonitorInstanceStatus();
    CampaignMonitorInstanceStatus b = new CampaignMonitorInstanceStatus();
    a.setAppliedFingerprints(new java.util.TreeMap<>(Map.of("name", "sha256:1")));
    b.setAppliedFingerprints(new java.util.LinkedHashMap<>(Map.of("name", "sha256:1")));
    a.setConditions(new ArrayList<>(List.of(condition("Ready"))));
    b.setConditions(List.of(condition("Ready")));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  private static <T> void assertEveryFieldCounts(Class<T> type) throws Exception {
    List<String> checked = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      T base = type.getDeclaredConstructor().newInstance();
      T changed = type.getDeclaredConstructor().newInstance();
      T same = type.getDeclaredConstructor().newInstance();
      field.set(changed, valueFor(field));
      field.set(same, valueFor(field));

      assertThat(changed).as(field.getName()).isNotEqualTo(base);
      assertThat(base).as(field.getName()).isNotEqualTo(changed);
      assertThat(changed).as(field.getName()).isEqualTo(same).hasSameHashCodeAs(same);
      checked.add(field.getName());
    }
    assertThat(checked).isNotEmpty();
  }

  private static Object valueFor(Field field) {
    Class<?> t = field.getType();
    if (t == String.class) {
      return "x";
    }
    if (t == Long.class) {
      return 7L;
    }
    if (t == Map.class) {
      return Map.of("k", "v");
    }
    if (t == List.class) {
      return new ArrayList<>(List.of(condition("Ready")));
    }
    if (t == AuthorizationStatus.class) {
      AuthorizationStatus a = new AuthorizationStatus();
      a.setAttempt("1");
      return a;
    }
    if (t == AuthorizationStatus.Result.class) {
      return AuthorizationStatus.Result.Approved;
    }
    throw new AssertionError(
        "no test value for field " + field.getName() + " of type " + t + ": add one here");
  }

  private static Condition condition(String type) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus("True");
    return c;
  }
}
