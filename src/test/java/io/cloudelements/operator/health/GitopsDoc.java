package io.cloudelements.operator.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The YAML examples of docs/gitops.md, so the tests check exactly what users copy. */
final class GitopsDoc {

  private static final Pattern YAML_BLOCK = Pattern.compile("(?ms)^```yaml\\n(.*?)^```");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GitopsDoc() {}

  /** Every document of every {@code ```yaml} block, in order. */
  static List<JsonNode> yamlDocuments() {
    try {
      String doc = Files.readString(HealthFixtures.GITOPS_DOC);
      List<JsonNode> documents = new ArrayList<>();
      Matcher m = YAML_BLOCK.matcher(doc);
      while (m.find()) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(m.group(1))) {
          while (it.hasNext()) {
            JsonNode node = it.next();
            if (node != null && !node.isMissingNode() && !node.isNull()) {
              documents.add(node);
            }
          }
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of the given kind. */
  static List<JsonNode> ofKind(String kind) {
    return yamlDocuments().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }
}
