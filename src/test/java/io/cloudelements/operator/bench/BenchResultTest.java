package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {

  @Test
  void rightFiguresAreCorrect() {
    BenchResult result = correct();

    assertThat(result.failures()).isEmpty();
    assertThat(result.lines()).last().asString().endsWith("OK");
    assertThat(result.toJson()).containsEntry("correct", true);
  }

  @Test
  void eachWrongCorrectnessFigureIsNamed() {
    BenchResult result = correct();
    result.postsTotal = 21;
    result.duplicates = 1;
    result.kubernetesSteady = Map.of("get", 3L, "patch", 2L);
    result.cloudElementsSteady = Map.of("GET /instances/{id}", 40L, "PATCH /instances/{id}", 1L);
    result.getsMax = 3;

    assertThat(result.failures()).hasSize(5)
        .anySatisfy(f -> assertThat(f).contains("POST /instances: 21 requests"))
        .anySatisfy(f -> assertThat(f).contains("1 duplicate"))
        .anySatisfy(f -> assertThat(f).contains("2 Kubernetes writes"))
        .anySatisfy(f -> assertThat(f).contains("1 Cloud Elements writes"))
        .anySatisfy(f -> assertThat(f).contains("min 2, max 3"));
    assertThat(result.lines()).last().asString().contains("FAILED");
  }

  @Test
  void resourcesThatNeverBecameReadyFail() {
    BenchResult result = correct();
    result.allReady = false;
    result.ready = 19;

    assertThat(result.failures()).singleElement().asString().contains("only 19 of 20");
  }

  @Test
  void theRatioIsTheWallTimeOverTheLowerBound() {
    BenchResult result = correct();
    result.lowerBound = Duration.ofSeconds(20);
    result.creationWall = Duration.ofSeconds(23);

    assertThat(result.ratio()).isEqualTo(1.15, org.assertj.core.data.Offset.offset(1e-9));
  }

  private static BenchResult correct() {
    BenchResult result = new BenchResult();
    result.options = BenchOptions.defaults().withInstances(20);
    result.resyncInterval = Duration.ofSeconds(3);
    result.allReady = true;
    result.ready = 20;
    result.postsTotal = 20;
    result.postsCreated = 20;
    result.remoteInstances = 20;
    result.kubernetesSteady = Map.of("get", 0L, "patch", 0L);
    result.cloudElementsSteady = Map.of("GET /instances/{id}", 40L);
    result.getsMin = 2;
    result.getsMax = 2;
    result.getsTotal = 40;
    return result;
  }
}
