package io.cloudelements.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture is read by tests while the operator's threads still log: every read is a consistent
 * snapshot.
 */
class LogCaptureTest {

  private static final Logger LOG = LoggerFactory.getLogger(LogCaptureTest.class);
  private static final int THREADS = 4;
  private static final int LINES = 2_000;

  @Test
  void readingWhileOtherThreadsLogNeitherFailsNorLosesLines() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (LogCapture capture = LogCapture.start(LogCaptureTest.class.getName())) {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < LINES; i++) {
                    LOG.debug("writer-{} line {}", thread, i);
                  }
                }));
      }
      int reads = 0;
      while (writers.stream().anyMatch(f -> !f.isDone()) && reads < 10_000) {
        String snapshot = capture.text();
        assertThat(snapshot.isEmpty() || snapshot.endsWith("\n"))
            .as("a snapshot holds whole lines")
            .isTrue();
        capture.linesContaining("writer-0");
        reads++;
      }
      for (Future<?> writer : writers) {
        writer.get(30, TimeUnit.SECONDS);
      }

      assertThat(capture.lines()).isEqualTo(THREADS * LINES);
      for (int t = 0; t < THREADS; t++) {
        assertThat(capture.linesContaining("writer-" + t + " line ")).hasSize(LINES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
