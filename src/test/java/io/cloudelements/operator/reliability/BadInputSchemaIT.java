package io.cloudelements.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.crd.CrdValidator;
import io.cloudelements.operator.crd.CrdValidator.FieldValidation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suite 4, bad input rejected at apply time: each case is evaluated against the generated CRD's
 * OpenAPI schema and CEL rules ({@link CrdValidator}, which imitates the API server's wording), and
 * the exact list of errors is asserted. The mistakes the API server cannot see (Secrets, the
 * upstream's answers) are in {@link BadInputOperatorIT}.
 */
class BadInputSchemaIT {

  private static final String HEAD =
      """
      apiVersion: cloudelements.io/v1alpha1
      kind: CampaignMonitorInstance
      metadata: {name: newsletter, namespace: marketing}
      """;
  private static final String CREDENTIALS = "  credentialsRef: {name: acct}\n";
  private static final String BASIC = "  basic: {apiKeyRef: {name: key, key: apiKey}}\n";
  private static final String OAUTH =
      """
        oauth:
          callbackUrl: https://app.example.com/cb
          consumerKeyRef: {name: app, key: ck}
          consumerSecretRef: {name: app, key: cs}
          authorizationCodeRef: {name: grant, key: code}
      """;
  private static final String DNS =
      "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
  private static final String HTTPS = "'^https://[^\\s]+$'";
  private static final String ONE_AUTH =
      "spec: Invalid value: \"object\": exactly one of spec.oauth or spec.basic " + "must be set";
  private static final String IMMUTABLE =
      "spec: Invalid value: \"object\": spec.instanceId is immutable once set";

  private static CrdValidator validator;

  @BeforeAll
  static void load() {
    validator = CrdValidator.forGeneratedCrd();
  }

  private static String spec(String... parts) {
    return HEAD + "spec:\n" + String.join("", parts);
  }

  static Stream<Arguments> rejectedOnCreate() {
    return Stream.of(
        Arguments.of("spec missing", HEAD, List.of("spec: Required value")),
        Arguments.of(
            "spec empty",
            HEAD + "spec: {}\n",
            List.of("spec.credentialsRef: Required value", ONE_AUTH)),
        Arguments.of(
            "credentialsRef missing", spec(BASIC), List.of("spec.credentialsRef: Required value")),
        Arguments.of(
            "credentialsRef name empty",
            spec("  credentialsRef: {name: \"\"}\n", BASIC),
            List.of(
                "spec.credentialsRef.name: Invalid value: \"\": spec.credentialsRef.name in body should be at least 1 "
                    + "chars long",
                "spec.credentialsRef.name: Invalid value: \"\": spec.credentialsRef.name in body should match "
                    + DNS)),
        Arguments.of(
            "credentialsRef name malformed",
            spec("  credentialsRef: {name: Bad_Name}\n", BASIC),
            List.of(
                "spec.credentialsRef.name: Invalid value: \"Bad_Name\": spec.credentialsRef.name in body should match "
                    + DNS)),
        Arguments.of("both oauth and basic", spec(CREDENTIALS, BASIC, OAUTH), List.of(ONE_AUTH)),
        Arguments.of("neither oauth nor basic", spec(CREDENTIALS), List.of(ONE_AUTH)),
        Arguments.of(
            "events enabled without callbackUrl",
            spec(CREDENTIALS, BASIC, "  events: {enabled: true}\n"),
            List.of(
                "spec.events: Invalid value: \"object\": events.callbackUrl is required when events.enabled is "
                    + "true")),
        Arguments.of(
            "events callbackUrl http",
            spec(
                CREDENTIALS,
                BASIC,
                "  events: {enabled: true, callbackUrl: \"http://hooks.example.com/x\"}\n"),
            List.of(
                "spec.events.callbackUrl: Invalid value: \"http://hooks.example.com/x\": spec.events.callbackUrl in body "
                    + "should match "
                    + HTTPS)),
        Arguments.of(
            "oauth callbackUrl http",
            spec(CREDENTIALS, OAUTH.replace("https://", "http://")),
            List.of(
                "spec.oauth.callbackUrl: Invalid value: \"string\": "
                    + "oauth.callbackUrl must be an https:// URL, or a loopback http://127.0.0.1 or http://localhost URL")),
        Arguments.of(
            "oauth callbackUrl ftp",
            spec(CREDENTIALS, OAUTH.replace("https://", "ftp://")),
            List.of(
                "spec.oauth.callbackUrl: Invalid value: \"string\": "
                    + "oauth.callbackUrl must be an https:// URL, or a loopback http://127.0.0.1 or http://localhost URL")),
        Arguments.of(
            "list id with a comma",
            spec(CREDENTIALS, BASIC, "  events: {listIds: [\"a1,b2\"]}\n"),
            List.of(
                "spec.events.listIds[0]: Invalid value: \"a1,b2\": spec.events.listIds[0] in body should match "
                    + "'^[^,\\s]+$'")),
        Arguments.of(
            "list id with a space",
            spec(CREDENTIALS, BASIC, "  events: {listIds: [\"a1 b2\"]}\n"),
            List.of(
                "spec.events.listIds[0]: Invalid value: \"a1 b2\": spec.events.listIds[0] in body should match "
                    + "'^[^,\\s]+$'")),
        Arguments.of(
            "list id empty",
            spec(CREDENTIALS, BASIC, "  events: {listIds: [\"\"]}\n"),
            List.of(
                "spec.events.listIds[0]: Invalid value: \"\": spec.events.listIds[0] in body should be at least 1 chars "
                    + "long",
                "spec.events.listIds[0]: Invalid value: \"\": spec.events.listIds[0] in body should match "
                    + "'^[^,\\s]+$'")),
        Arguments.of(
            "huge tags list (51)",
            spec(CREDENTIALS, BASIC, "  tags: [" + "t,".repeat(50) + "t]\n"),
            List.of("spec.tags: Too many: 51: must have at most 50 items")),
        Arguments.of(
            "tag with a comma",
            spec(CREDENTIALS, BASIC, "  tags: [\"a,b\"]\n"),
            List.of(
                "spec.tags[0]: Invalid value: \"a,b\": spec.tags[0] in body should match '^[^,]*$'")),
        Arguments.of(
            "tag longer than 100",
            spec(CREDENTIALS, BASIC, "  tags: [" + "x".repeat(101) + "]\n"),
            List.of("spec.tags[0]: Too long: may not be longer than 100")),
        Arguments.of(
            "tags not a list",
            spec(CREDENTIALS, BASIC, "  tags: Docs\n"),
            List.of(
                "spec.tags: Invalid value: \"string\": spec.tags in body must be of type array: \"string\"")),
        Arguments.of(
            "instanceName empty",
            spec(CREDENTIALS, BASIC, "  instanceName: \"\"\n"),
            List.of(
                "spec.instanceName: Invalid value: \"\": spec.instanceName in body should be at least 1 chars long")),
        Arguments.of(
            "instanceName of 201 characters",
            spec(CREDENTIALS, BASIC, "  instanceName: " + "n".repeat(201) + "\n"),
            List.of("spec.instanceName: Too long: may not be longer than 200")),
        Arguments.of(
            "instanceName of 201 emoji (counted in characters)",
            spec(CREDENTIALS, BASIC, "  instanceName: " + "📰".repeat(201) + "\n"),
            List.of("spec.instanceName: Too long: may not be longer than 200")),
        Arguments.of(
            "secretName malformed",
            spec(CREDENTIALS, BASIC, "  secretName: My_Secret\n"),
            List.of(
                "spec.secretName: Invalid value: \"My_Secret\": spec.secretName in body should match "
                    + DNS)),
        Arguments.of(
            "instanceId 0",
            spec(CREDENTIALS, BASIC, "  instanceId: 0\n"),
            List.of(
                "spec.instanceId: Invalid value: 0: must have a minimum value of 1.0 (minimum)")),
        Arguments.of(
            "instanceId not a number",
            spec(CREDENTIALS, BASIC, "  instanceId: abc\n"),
            List.of(
                "spec.instanceId: Invalid value: \"string\": spec.instanceId in body must be of type integer: "
                    + "\"string\"")),
        Arguments.of(
            "deletionPolicy unknown",
            spec(CREDENTIALS, BASIC, "  deletionPolicy: Keep\n"),
            List.of(
                "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Orphan\"")),
        Arguments.of(
            "Secret key missing",
            spec(CREDENTIALS, "  basic: {apiKeyRef: {name: key}}\n"),
            List.of("spec.basic.apiKeyRef.key: Required value")),
        Arguments.of(
            "Secret key malformed",
            spec(CREDENTIALS, "  basic: {apiKeyRef: {name: key, key: \"api key\"}}\n"),
            List.of(
                "spec.basic.apiKeyRef.key: Invalid value: \"api key\": spec.basic.apiKeyRef.key in body should "
                    + "match '^[-._a-zA-Z0-9]+$'")),
        Arguments.of(
            "oauth callbackUrl plain http to a host that only starts like a loopback one",
            spec(
                CREDENTIALS,
                OAUTH.replace("https://app.example.com", "http://127.0.0.1.example.com")),
            List.of(
                "spec.oauth.callbackUrl: Invalid value: \"string\": "
                    + "oauth.callbackUrl must be an https:// URL, or a loopback http://127.0.0.1 or http://localhost URL")),
        Arguments.of(
            "events.enabled a string",
            spec(
                CREDENTIALS,
                BASIC,
                "  events: {enabled: \"yes\", callbackUrl: \"https://h.example.com\"}\n"),
            List.of(
                "spec.events.enabled: Invalid value: \"string\": spec.events.enabled in body must be of type boolean: "
                    + "\"string\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnCreate")
  void rejectedOnCreate(String name, String yaml, List<String> errors) {
    assertThat(validator.validate(yaml)).containsExactlyElementsOf(errors);
  }

  static Stream<Arguments> rejectedOnUpdate() {
    String adopted = spec(CREDENTIALS, BASIC, "  instanceId: 12\n");
    return Stream.of(
        Arguments.of(
            "instanceId changed", adopted, adopted.replace("12", "13"), List.of(IMMUTABLE)),
        Arguments.of(
            "instanceId removed",
            adopted,
            adopted.replace("  instanceId: 12\n", ""),
            List.of(IMMUTABLE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnUpdate")
  void rejectedOnUpdate(String name, String before, String after, List<String> errors) {
    assertThat(validator.validateUpdate(before, after)).containsExactlyElementsOf(errors);
  }

  @ParameterizedTest(name = "cross-namespace credentialsRef, fieldValidation {0}")
  @MethodSource("crossNamespace")
  void aCrossNamespaceReferenceDoesNotExist(
      FieldValidation mode, List<String> errors, List<String> warnings) {
    var result =
        validator.check(
            CrdValidator.parse(spec("  credentialsRef: {name: acct, namespace: other}\n", BASIC)),
            null,
            mode);
    assertThat(result.errors()).containsExactlyElementsOf(errors);
    assertThat(result.warnings()).containsExactlyElementsOf(warnings);
    assertThat(result.object().at("/spec/credentialsRef").has("namespace")).as("pruned").isFalse();
  }

  static Stream<Arguments> crossNamespace() {
    return Stream.of(
        Arguments.of(
            FieldValidation.STRICT,
            List.of(
                "spec.credentialsRef.namespace: unknown field (rejected with fieldValidation=Strict)"),
            List.of()),
        Arguments.of(
            FieldValidation.WARN,
            List.of(),
            List.of("spec.credentialsRef.namespace: unknown field, would be pruned")));
  }
}
