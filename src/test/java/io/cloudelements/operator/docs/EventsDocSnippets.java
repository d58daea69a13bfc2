package io.cloudelements.operator.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The verifier snippets of docs/events.md, run exactly as a user would copy them: the Java block
 * compiled with the JDK compiler, the shell block run with bash and openssl.
 */
public final class EventsDocSnippets {

  public static final Path DOC =
      Path.of(System.getProperty("basedir", ".")).resolve("docs/events.md");

  private EventsDocSnippets() {}

  /** The only {@code ```lang} block under the given heading. */
  static String block(String heading, String lang) {
    String doc;
    try {
      doc = Files.readString(DOC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int at = doc.indexOf("\n## " + heading + "\n");
    if (at < 0) {
      throw new IllegalStateException(DOC + " has no heading '## " + heading + "'");
    }
    int end = doc.indexOf("\n## ", at + 1);
    String section = end < 0 ? doc.substring(at) : doc.substring(at, end);
    Matcher m =
        Pattern.compile("(?ms)^```" + Pattern.quote(lang) + "\\n(.*?)^```").matcher(section);
    if (!m.find()) {
      throw new IllegalStateException("no ```" + lang + " block under '## " + heading + "'");
    }
    String block = m.group(1);
    if (m.find()) {
      throw new IllegalStateException(
          "more than one ```" + lang + " block under '## " + heading + "'");
    }
    return block;
  }

  public static String javaSnippet() {
    return block("Verify in Java", "java");
  }

  public static String shellSnippet() {
    return block("Verify in a shell", "sh");
  }

  /** The Java snippet, compiled into {@code workDir} and loaded. */
  public static JavaVerifier compileJava(Path workDir) throws IOException {
    String source = javaSnippet();
    Matcher name = Pattern.compile("public final class (\\w+)").matcher(source);
    if (!name.find()) {
      throw new IllegalStateException("the Java snippet declares no public final class");
    }
    Path file = workDir.resolve(name.group(1) + ".java");
    Files.writeString(file, source);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler: the tests need a JDK");
    }
    int exit = compiler.run(null, null, null, "-d", workDir.toString(), file.toString());
    if (exit != 0) {
      throw new IllegalStateException(
          "the Java snippet of " + DOC + " does not compile (javac exit " + exit + ")");
    }
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {workDir.toUri().toURL()}, EventsDocSnippets.class.getClassLoader());
    try {
      Method verify =
          loader
              .loadClass(name.group(1))
              .getMethod("verify", String.class, byte[].class, String.class);
      return (key, body, header) -> {
        try {
          return (Boolean) verify.invoke(null, key, body, header);
        } catch (InvocationTargetException e) {
          throw new IllegalStateException("the Java snippet threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the Java snippet has no static verify(String, byte[], String)", e);
    }
  }

  /** The Java snippet's {@code verify}. */
  @FunctionalInterface
  public interface JavaVerifier {
    boolean verify(String key, byte[] rawBody, String signatureHeader);
  }

  /**
   * Runs the shell snippet in {@code workDir} with the body in body.json; returns what it printed,
   * trimmed.
   */
  public static String runShell(Path workDir, String key, byte[] rawBody, String signatureHeader)
      throws IOException, InterruptedException {
    Files.write(workDir.resolve("body.json"), rawBody);
    ProcessBuilder builder =
        new ProcessBuilder(List.of("bash", "-c", "set -eu\n" + shellSnippet()))
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    builder.environment().put("KEY", key);
    builder.environment().put("SIGNATURE", signatureHeader);
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the shell snippet did not finish within 30 s");
    }
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the shell snippet exited with " + process.exitValue() + ": " + output);
    }
    return output;
  }
}
