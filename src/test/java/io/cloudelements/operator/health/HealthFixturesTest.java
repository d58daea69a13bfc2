package io.cloudelements.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed state fixtures cannot drift from the operator's real classes: each file must equal
 * what {@link HealthFixtures} builds with {@code StatusConditions.next} and Fabric8's {@code
 * Serialization} today. Run with {@code -Dhealth.fixtures.write=true} to rewrite them after a
 * deliberate change.
 */
class HealthFixturesTest {

  private static final boolean WRITE = Boolean.getBoolean("health.fixtures.write");

  @TestFactory
  Stream<DynamicTest> committedFixtureEqualsWhatTheOperatorClassesProduce() {
    return HealthFixtures.all().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      Path file = HealthFixtures.file(e.getKey());
                      String expected = HealthFixtures.yaml(e.getValue());
                      if (WRITE) {
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, expected);
                      }
                      assertThat(file)
                          .as("fixture %s (regenerate: -Dhealth.fixtures.write=true)", file)
                          .isRegularFile();
                      assertThat(Files.readString(file))
                          .as(
                              "%s differs from what the operator's classes produce now; if the change is intended, regenerate "
                                  + "with: mvn -B -q test -Dtest=HealthFixturesTest -Dhealth.fixtures.write=true",
                              file)
                          .isEqualTo(expected);
                    }));
  }

  @Test
  void testdataHoldsNoFixtureThatTheClassesDoNotProduce() throws IOException {
    try (Stream<Path> files = Files.list(HealthFixtures.TESTDATA_DIR)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names)
          .containsExactlyInAnyOrderElementsOf(
              HealthFixtures.all().keySet().stream().map(n -> n + ".yaml").toList());
    }
  }

  @Test
  void fixturesReadBackAsTheObjectsTheyWereMadeFrom() {
    HealthFixtures.all()
        .forEach(
            (name, cr) ->
                assertThat(HealthFixtures.load(name))
                    .as(name)
                    .isEqualTo(
                        HealthFixtures.asApiServerJson(
                            Serialization.jsonMapper().convertValue(cr, Map.class))));
  }

  @Test
  void theStatesDifferWhereTheHealthRulesLook() {
    Map<String, CampaignMonitorInstance> all = HealthFixtures.all();
    assertThat(all.get(HealthFixtures.NEW).getStatus()).isNull();
    assertThat(all.get(HealthFixtures.STALE_READY).getMetadata().getGeneration())
        .isGreaterThan(all.get(HealthFixtures.STALE_READY).getStatus().getObservedGeneration());
    assertThat(all.get(HealthFixtures.DELETING).getMetadata().getDeletionTimestamp()).isNotBlank();
    assertThat(all.get(HealthFixtures.PAUSED).getMetadata().getAnnotations())
        .containsEntry("cloudelements.io/paused", "true");
  }
}
