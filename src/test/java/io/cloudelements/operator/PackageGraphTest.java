package io.cloudelements.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main sources, read from their imports, depend on each other without a cycle,
 * and none depends on the root package (only {@code Main} lives there, and it may import {@code
 * cli}).
 */
class PackageGraphTest {

  private static final Path SOURCES = Path.of("src/main/java/io/cloudelements/operator");
  private static final String BASE = "io.cloudelements.operator";
  private static final Pattern IMPORT =
      Pattern.compile(
          "(?m)^import\\s+(?:static\\s+)?io\\.cloudelements\\.operator"
              + "((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

  /**
   * Strings and comments name classes without depending on them (the bench starts {@code Main} as a
   * process by its name).
   */
  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"");

  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"");
  private static final Pattern COMMENT = Pattern.compile("//[^\n]*|/\\*[\\s\\S]*?\\*/");
  private static final Pattern QUALIFIED =
      Pattern.compile("\\bio\\.cloudelements\\.operator((?:\\.[a-z][a-z0-9_]*)*)" + "\\.[A-Z]");

  @Test
  void thePackagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = graph();

    assertThat(graph)
        .as("packages found")
        .containsKeys("runtime", "cli", "bench", "embedded", "reconciler");
    assertThat(cycle(graph)).as("a cycle of package imports in " + graph).isEmpty();
  }

  @Test
  void nothingImportsTheRootPackage() throws IOException {
    graph()
        .forEach(
            (from, to) -> assertThat(to).as(from + " imports the root package").doesNotContain(""));
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> graph =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

    assertThat(cycle(graph)).containsExactly("a", "b", "c", "a");
    assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of(), "c", Set.of("a", "b")))).isEmpty();
  }

  /**
   * Package (relative to the base, "" for the root) to the packages its classes name, from imports
   * and full names.
   */
  private static Map<String, Set<String>> graph() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
      Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
      String text = Files.readString(file);
      for (Pattern notCode : List.of(TEXT_BLOCK, STRING, COMMENT)) {
        text = notCode.matcher(text).replaceAll("");
      }
      for (Pattern pattern : List.of(IMPORT, QUALIFIED)) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
          if (!target.equals(from)) {
            to.add(target);
          }
        }
      }
    }
    return graph;
  }

  /**
   * One cycle as the path that closes it (first package repeated at the end), or empty when there
   * is none.
   */
  static List<String> cycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new TreeMap<>();
    for (String start : new TreeSet<>(graph.keySet())) {
      Deque<String> path = new ArrayDeque<>();
      List<String> found = visit(start, graph, state, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /** Depth first; state 1 = on the current path, 2 = done. */
  private static List<String> visit(
      String node, Map<String, Set<String>> graph, Map<String, Integer> state, Deque<String> path) {
    Integer seen = state.get(node);
    if (seen != null && seen == 2) {
      return List.of();
    }
    if (seen != null) {
      List<String> onPath = new ArrayList<>(path);
      Collections.reverse(onPath);
      List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(node), onPath.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    path.push(node);
    for (String next : new TreeSet<>(graph.getOrDefault(node, Set.of()))) {
      List<String> found = visit(next, graph, state, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.pop();
    state.put(node, 2);
    return List.of();
  }
}
