package io.cloudelements.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.networknt.schema.ApplyDefaultsStrategy;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The OpenAPI part of a CRD's schema, on networknt json-schema-validator: defaulting with its
 * walker and validation (draft 4 keywords plus the Kubernetes extensions as annotations), with
 * messages in the API server's wording, e.g. {@code spec.credentialsRef: Required value}. Patterns
 * use RE2 (re2j), the regex flavour of the Go API server, with "find" semantics.
 */
final class CrdSchema {

  static final String ROOT = "<root>";
  private static final List<String> EXTENSION_KEYWORDS =
      List.of("nullable", "x-kubernetes-validations");

  private final JsonSchema schema;

  CrdSchema(JsonNode openApiV3Schema) {
    JsonMetaSchema metaSchema =
        JsonMetaSchema.builder(
                "https://kubernetes.io/crd-openapi-v3-structural", JsonMetaSchema.getV4())
            .keywords(EXTENSION_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.builder()
            .defaultMetaSchemaIri(metaSchema.getIri())
            .metaSchema(metaSchema)
            .build();
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .nullableKeywordEnabled(true)
            // A property's default where the property is absent, as the API server defaults before
            // validating.
            .applyDefaultsStrategy(new ApplyDefaultsStrategy(true, false, false))
            .regularExpressionFactory(
                regex -> {
                  Pattern pattern = Pattern.compile(regex);
                  return value -> pattern.matcher(value).find();
                })
            .build();
    this.schema = factory.getSchema(openApiV3Schema, config);
  }

  /** Sets every absent property that has a {@code default}, at every depth, in place. */
  void applyDefaults(JsonNode object) {
    schema.walk(object, false);
  }

  /** "path: message" errors, ordered by path. */
  List<String> validate(JsonNode object) {
    return schema.validate(object).stream()
        .sorted((a, b) -> a.getInstanceLocation().compareTo(b.getInstanceLocation()))
        .map(CrdSchema::toApiServerMessage)
        .toList();
  }

  private static String toApiServerMessage(ValidationMessage m) {
    String path = fieldPath(m.getInstanceLocation());
    JsonNode value = m.getInstanceNode();
    JsonNode schemaValue = m.getSchemaNode();
    String shown = path.isEmpty() ? ROOT : path;
    return switch (m.getType()) {
      case "required" -> CrdPruning.join(path, m.getProperty()) + ": Required value";
      case "enum" ->
          shown
              + ": Unsupported value: "
              + value
              + ": supported values: "
              + StreamSupport.stream(schemaValue.spliterator(), false)
                  .map(JsonNode::toString)
                  .collect(Collectors.joining(", "));
      case "pattern" ->
          shown
              + ": Invalid value: "
              + value
              + ": "
              + shown
              + " in body should match '"
              + schemaValue.asText()
              + "'";
      case "minLength" ->
          shown
              + ": Invalid value: "
              + value
              + ": "
              + shown
              + " in body should be at least "
              + schemaValue.asText()
              + " chars long";
      case "maxLength" -> shown + ": Too long: may not be longer than " + schemaValue.asText();
      case "minItems" ->
          shown
              + ": Invalid value: "
              + value.size()
              + ": "
              + shown
              + " in body should have at least "
              + schemaValue.asText()
              + " items";
      case "maxItems" ->
          shown
              + ": Too many: "
              + value.size()
              + ": must have at most "
              + schemaValue.asText()
              + " items";
      case "type" ->
          shown
              + ": Invalid value: \""
              + m.getArguments()[0]
              + "\": "
              + shown
              + " in body must be of type "
              + m.getArguments()[1]
              + ": \""
              + m.getArguments()[0]
              + "\"";
      default ->
          shown + ": Invalid value: " + value + ": " + m.getError() + " (" + m.getType() + ")";
    };
  }

  private static String fieldPath(JsonNodePath location) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(element);
      }
    }
    return sb.toString();
  }
}
