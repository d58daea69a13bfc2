package io.cloudelements.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped logback.xml: LOG_FORMAT picks one JSON object per line, or the plain text pattern.
 */
class LogFormatTest {

  private static final String LOGGER = "io.cloudelements.operator.reconciler.LogFormatProbe";

  /**
   * Configures a fresh logback context from the shipped logback.xml, logs two lines, returns what
   * reached stdout.
   */
  private static List<String> logWith(String logFormat) throws Exception {
    URL config = LogFormatTest.class.getResource("/logback.xml");
    assertThat(config).as("logback.xml on the classpath").isNotNull();
    LoggerContext context = new LoggerContext();
    LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    context.start();
    if (logFormat != null) {
      context.putProperty("LOG_FORMAT", logFormat);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(config);
      Logger log = context.getLogger(LOGGER);
      // What JOSDK puts in the MDC around a reconcile.
      mdc.put("resource.name", "newsletter");
      mdc.put("resource.namespace", "team-a");
      try {
        log.info("Created instance {}", 1000);
        log.warn(
            "Reconcile failed: {}",
            "Kubernetes API answered 500",
            new IllegalStateException("boom"));
      } finally {
        mdc.clear();
      }
      log.debug("not shown at INFO");
      context.stop();
    } finally {
      System.setOut(stdout);
    }
    return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(
            line ->
                line.contains("LogFormatProbe")
                    || line.contains("Created instance")
                    || line.contains("Reconcile failed"))
        .toList();
  }

  @Test
  void jsonGivesOneObjectPerLineWithTheMdc() throws Exception {
    List<String> lines = logWith("json");

    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode info = json.readTree(lines.get(0));
    assertThat(info.path("level").asText()).isEqualTo("INFO");
    assertThat(info.path("loggerName").asText()).isEqualTo(LOGGER);
    assertThat(info.path("formattedMessage").asText()).isEqualTo("Created instance 1000");
    assertThat(info.path("mdc").path("resource.name").asText()).isEqualTo("newsletter");
    assertThat(info.path("mdc").path("resource.namespace").asText()).isEqualTo("team-a");
    assertThat(info.path("timestamp").isNumber()).isTrue();
    assertThat(info.has("threadName")).isTrue();
    assertThat(info.has("context")).as("no logger context dump").isFalse();
    assertThat(info.has("arguments")).isFalse();
    JsonNode warn = json.readTree(lines.get(1));
    assertThat(warn.path("level").asText()).isEqualTo("WARN");
    assertThat(warn.path("formattedMessage").asText())
        .isEqualTo("Reconcile failed: Kubernetes API answered 500");
    assertThat(warn.path("throwable").path("className").asText())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(warn.path("throwable").path("message").asText()).isEqualTo("boom");
  }

  @Test
  void textIsTheDefault() throws Exception {
    for (String format : new String[] {null, "text"}) {
      List<String> lines = logWith(format);

      assertThat(lines).as("LOG_FORMAT=%s", format).hasSizeGreaterThanOrEqualTo(2);
      assertThat(lines.get(0))
          .matches(
              "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  LogFormatProbe \\[team-a/newsletter] Created instance 1000");
      assertThat(lines.get(1))
          .matches(
              "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  LogFormatProbe \\[team-a/newsletter] Reconcile failed: Kubernetes API"
                  + " answered 500");
      assertThat(String.join("\n", lines)).doesNotContain("{\"");
    }
  }
}
