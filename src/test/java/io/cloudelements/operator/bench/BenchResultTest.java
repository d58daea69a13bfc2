package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {

  private static final BenchOptions OPTIONS = BenchOptions.defaults().withInstances(20);
  private static final SteadyPhase RIGHT_STEADY =
      steady(Map.of("get", 0L, "patch", 0L), Map.of("GET /instances/{id}", 40L), 2, 2);

  @Test
  void rightFiguresAreCorrect() {
    BenchResult result = result(creation(20, true, Duration.ofSeconds(1), 20, 0), RIGHT_STEADY);

    assertThat(result.failures()).isEmpty();
    assertThat(result.lines()).last().asString().endsWith("OK");
    assertThat(result.toJson()).containsEntry("correct", true);
    assertThat(result.getsPerInstancePerResync()).isEqualTo(1.0);
  }

  @Test
  void eachWrongCorrectnessFigureIsNamed() {
    BenchResult result =
        result(
            creation(20, true, Duration.ofSeconds(1), 21, 1),
            steady(
                Map.of("get", 3L, "patch", 2L),
                Map.of("GET /instances/{id}", 40L, "PATCH /instances/{id}", 1L),
                2,
                3));

    assertThat(result.failures())
        .hasSize(5)
        .anySatisfy(f -> assertThat(f).contains("POST /instances: 21 requests"))
        .anySatisfy(f -> assertThat(f).contains("1 duplicate"))
        .anySatisfy(f -> assertThat(f).contains("2 Kubernetes writes"))
        .anySatisfy(f -> assertThat(f).contains("1 Cloud Elements writes"))
        .anySatisfy(f -> assertThat(f).contains("min 2, max 3"));
    assertThat(result.lines()).last().asString().contains("FAILED");
  }

  @Test
  void resourcesThatNeverBecameReadyFail() {
    BenchResult result = result(creation(19, false, Duration.ofSeconds(60), 20, 0), RIGHT_STEADY);

    assertThat(result.failures()).singleElement().asString().contains("only 19 of 20");
  }

  @Test
  void aTagLookupWithoutFaultsFailsAndTheWritesPerCreateAreCounted() {
    CreationPhase base = creation(20, true, Duration.ofSeconds(1), 20, 0);
    CreationPhase looked =
        new CreationPhase(
            base.ready(),
            base.allReady(),
            base.wall(),
            base.applyToReady(),
            base.paths(),
            base.upstreamUtilization(),
            base.cpu(),
            Map.of("POST /instances", 20L, "GET /instances?tags[]", 3L),
            0,
            20,
            20,
            20,
            0,
            Map.of("patch", 40L, "create", 40L, "get", 1L),
            List.of(),
            base.apiServer(),
            base.operatorCpuNanos());

    BenchResult result = result(looked, RIGHT_STEADY);

    assertThat(result.failures()).singleElement().asString().contains("3 tag lookups");
    assertThat(result.apiServerWritesPerCreate()).isEqualTo(4.0);
  }

  @Test
  void theCpuPerResyncCountsTheResyncsOfEveryResourceWhileItWasMeasured() {
    // 80 ms of steady-state CPU; 40 GETs of the measured resources, 80 with the warm-up's.
    SteadyPhase withWarmup =
        new SteadyPhase(
            Duration.ofSeconds(7),
            Map.of(),
            Map.of("GET /instances/{id}", 80L),
            Map.of(),
            null,
            2,
            2,
            40,
            80,
            List.of(),
            ApiServerTimes.UNKNOWN,
            80_000_000L);

    assertThat(withWarmup.cpuPerResync()).isEqualTo(Duration.ofMillis(1));
    assertThat(result(creation(20, true, Duration.ofSeconds(1), 20, 0), withWarmup).lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("operator CPU")
                    .contains("per resync 1.00 ms", "/ 80 resync GETs of all resources"));
  }

  @Test
  void theRatioIsTheWallTimeOverTheLowerBound() {
    // 20 resources x 100 ms / 10 = 200 ms.
    BenchResult result = result(creation(20, true, Duration.ofMillis(230), 20, 0), RIGHT_STEADY);

    assertThat(result.lowerBound()).isEqualTo(Duration.ofMillis(200));
    assertThat(result.ratio()).isEqualTo(1.15, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theOperatorCpuIsPerCreateAndPerResyncAndTheApiServerTimesPerVerb() {
    BenchResult result = result(creation(20, true, Duration.ofSeconds(1), 20, 0), RIGHT_STEADY);

    // 300 ms over 20 creates; 80 ms over 40 resync GETs.
    assertThat(result.creation().cpuPerCreate()).isEqualTo(Duration.ofMillis(15));
    assertThat(result.steady().cpuPerResync()).isEqualTo(Duration.ofMillis(2));
    assertThat(result.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("operator CPU")
                    .contains(
                        "per create 15.00 ms", "per resync 2.00 ms", "the whole bench process"));
    assertThat(result.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("API-server time, creation")
                    .contains("patch 40 x 31.0 ms", "create 20 x 32.0 ms"));
    assertThat(result.toJson())
        .extractingByKey("steady")
        .asString()
        .contains("operatorCpuPerResyncMs=2.0");
  }

  @Test
  void apiServerTimesAreTheMeanOfEachVerbBetweenTwoReadings() {
    var before =
        Map.of(
            "get",
            new io.cloudelements.operator.runtime.ApiServerRequests.Totals(10, 100_000_000L));
    var after =
        Map.of(
            "get",
            new io.cloudelements.operator.runtime.ApiServerRequests.Totals(14, 260_000_000L),
            "patch",
            new io.cloudelements.operator.runtime.ApiServerRequests.Totals(2, 70_000_000L));

    ApiServerTimes times = ApiServerTimes.between(before, after);

    assertThat(times.counts()).containsExactly(Map.entry("get", 4L), Map.entry("patch", 2L));
    assertThat(times.means())
        .containsEntry("get", Duration.ofMillis(40))
        .containsEntry("patch", Duration.ofMillis(35));
    assertThat(ApiServerTimes.UNKNOWN.describe()).isEqualTo("none");
  }

  @Test
  void thePhasesCannotBeChangedAfterwards() {
    CreationPhase creation = creation(20, true, Duration.ofSeconds(1), 20, 0);

    assertThat(creation.kubernetes()).isUnmodifiable();
    assertThat(RIGHT_STEADY.cloudElements()).isUnmodifiable();
    assertThat(RIGHT_STEADY.getAnomalies()).isUnmodifiable();
  }

  private static BenchResult result(CreationPhase creation, SteadyPhase steady) {
    return new BenchResult(
        OPTIONS,
        Duration.ofSeconds(3),
        new StartupPhase(
            Duration.ofMillis(300),
            Duration.ofMillis(900),
            Duration.ofSeconds(1),
            Duration.ofMillis(250),
            0,
            null,
            -1),
        creation,
        steady,
        MemoryFigures.UNKNOWN);
  }

  private static CreationPhase creation(
      int ready, boolean allReady, Duration wall, long posts, int duplicates) {
    ResourcePaths paths =
        new ResourcePaths(
            Percentiles.of(List.of()),
            Percentiles.of(List.of()),
            Percentiles.of(List.of()),
            List.of());
    return new CreationPhase(
        ready,
        allReady,
        wall,
        Percentiles.of(List.of(Duration.ofMillis(200))),
        paths,
        0.9,
        CreationPhase.CpuShares.UNKNOWN,
        Map.of("POST /instances", posts),
        0,
        posts,
        20,
        20 + duplicates,
        duplicates,
        Map.of("patch", 40L),
        List.of(),
        new ApiServerTimes(
            Map.of("patch", 40L, "create", 20L),
            Map.of("patch", Duration.ofMillis(31), "create", Duration.ofMillis(32))),
        300_000_000L);
  }

  private static SteadyPhase steady(
      Map<String, Long> kubernetes, Map<String, Long> cloudElements, int min, int max) {
    return new SteadyPhase(
        Duration.ofSeconds(7),
        kubernetes,
        cloudElements,
        Map.of(),
        null,
        min,
        max,
        40,
        40,
        List.of(),
        ApiServerTimes.UNKNOWN,
        80_000_000L);
  }
}
