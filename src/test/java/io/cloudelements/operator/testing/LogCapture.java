package io.cloudelements.operator.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of this JVM at DEBUG for the given loggers, as a person would read them:
 * the formatted message, the MDC, and each exception of a chain with its message, causes,
 * suppressed exceptions and stack frames.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final StringBuilder text = new StringBuilder();
  private final Map<String, Level> previousLevels = new HashMap<>();
  private final List<Appender<ILoggingEvent>> quietened = new ArrayList<>();
  private int lines;

  private LogCapture() {}

  /** Starts capturing; the named loggers are set to DEBUG until {@link #close()}. */
  public static LogCapture start(String... debugLoggers) {
    LogCapture capture = new LogCapture();
    capture.setName("reliability-capture");
    for (String name : debugLoggers) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      capture.previousLevels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    capture.start();
    // The console keeps printing INFO and above only: DEBUG goes to the capture, not to the build
    // log.
    root()
        .iteratorForAppenders()
        .forEachRemaining(
            a -> {
              if (a.getCopyOfAttachedFiltersList().isEmpty()) {
                a.addFilter(
                    new Filter<>() {
                      @Override
                      public FilterReply decide(ILoggingEvent event) {
                        return event.getLevel().isGreaterOrEqual(Level.INFO)
                            ? FilterReply.NEUTRAL
                            : FilterReply.DENY;
                      }
                    });
                capture.quietened.add(a);
              }
            });
    root().addAppender(capture);
    return capture;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected void append(ILoggingEvent e) {
    StringBuilder line = new StringBuilder();
    line.append(e.getLevel())
        .append(' ')
        .append(e.getLoggerName())
        .append(" [")
        .append(e.getThreadName())
        .append("] ")
        .append(e.getFormattedMessage());
    if (e.getMDCPropertyMap() != null && !e.getMDCPropertyMap().isEmpty()) {
      line.append(' ').append(e.getMDCPropertyMap());
    }
    line.append('\n');
    appendThrowable(line, e.getThrowableProxy(), "");
    synchronized (text) {
      text.append(line);
      lines++;
    }
  }

  private static void appendThrowable(StringBuilder line, IThrowableProxy t, String prefix) {
    if (t == null) {
      return;
    }
    line.append(prefix).append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
    for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
      line.append("\tat ").append(frame.getSTEAsString()).append('\n');
    }
    if (t.getSuppressed() != null) {
      for (IThrowableProxy s : t.getSuppressed()) {
        appendThrowable(line, s, "Suppressed: ");
      }
    }
    appendThrowable(line, t.getCause(), "Caused by: ");
  }

  public String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  public int lines() {
    synchronized (text) {
      return lines;
    }
  }

  /** The lines that contain all the given fragments. */
  public List<String> linesContaining(String... fragments) {
    List<String> found = new ArrayList<>();
    for (String l : text().split("\n")) {
      boolean all = true;
      for (String f : fragments) {
        all &= l.contains(f);
      }
      if (all) {
        found.add(l);
      }
    }
    return found;
  }

  @Override
  public void close() {
    root().detachAppender(this);
    quietened.forEach(Appender::clearAllFilters);
    stop();
    previousLevels.forEach(
        (name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }
}
