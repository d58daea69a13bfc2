package io.cloudelements.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudelements.operator.api.BasicAuthSpec;
import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.api.CampaignMonitorInstanceSpec;
import io.cloudelements.operator.api.LocalSecretReference;
import io.cloudelements.operator.api.OAuthSpec;
import io.cloudelements.operator.api.SecretKeyReference;
import io.cloudelements.operator.crd.CelRules.Rule;
import io.cloudelements.operator.crd.CrdValidator.FieldValidation;
import io.cloudelements.operator.crd.CrdValidator.Result;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mock API server of the other tests accepts anything, so this test evaluates the generated
 * CRD's schema and CEL rules itself (see {@link CrdValidator}) and pins what the real API server
 * accepts and rejects.
 */
class CrdValidationTest {

  private static final String HEADER =
      """
      apiVersion: cloudelements.io/v1alpha1
      kind: CampaignMonitorInstance
      metadata:
        name: newsletter
        namespace: marketing
      spec:
      """;
  private static final String CREDENTIALS =
      """
        credentialsRef: {name: cloud-elements-account}
      """;
  private static final String BASIC =
      """
        basic:
          apiKeyRef: {name: campaign-monitor-api-key, key: apiKey}
      """;
  private static final String OAUTH =
      """
        oauth:
          callbackUrl: https://app.example.com/oauth/callback
          consumerKeyRef: {name: campaign-monitor-app, key: consumerKey}
          consumerSecretRef: {name: campaign-monitor-app, key: consumerSecret}
          authorizationCodeRef: {name: campaign-monitor-grant, key: code}
      """;
  private static final String PLAIN_HTTP_CALLBACK =
      "spec.oauth.callbackUrl: Invalid value: \"string\": "
          + "oauth.callbackUrl must be an https:// URL, or a loopback http://127.0.0.1 or http://localhost URL";
  private static final String HTTPS_PATTERN = "'^https://[^\\s]+$'";
  private static final String DNS_SUBDOMAIN_PATTERN =
      "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
  private static final String EXACTLY_ONE_AUTH =
      "spec: Invalid value: \"object\": exactly one of spec.oauth or spec.basic must be set";

  private static final String SIGNATURE_KEY_REF_WITH_DISABLED =
      "spec.events: Invalid value: \"object\": "
          + "events.signatureKeyRef cannot be used with events.signing: Disabled";
  private static final String SIGNATURE_KEY_REF_WITHOUT_EVENTS =
      "spec.events: Invalid value: \"object\": "
          + "events.signatureKeyRef requires events.enabled: true";

  private static CrdValidator validator;

  @BeforeAll
  static void loadGeneratedCrd() {
    validator = CrdValidator.forGeneratedCrd();
  }

  /** A full resource whose spec is the given (two-space indented) lines. */
  private static String resource(String... specParts) {
    return HEADER + String.join("", specParts);
  }

  private static String fixture(String name) {
    try (InputStream in = CrdValidationTest.class.getResourceAsStream("/crd-cases/valid/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ valid

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "oauth-full.yaml",
        "basic-events.yaml",
        "basic-minimal.yaml",
        "unicode-instance-name.yaml",
        "events-disabled-no-callback.yaml",
        "events-signature-key-ref.yaml",
        "events-signing-disabled.yaml"
      })
  void validExamplesAreAcceptedWithoutWarnings(String fixture) {
    Result result =
        validator.check(CrdValidator.parse(fixture(fixture)), null, FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void defaultsAreAppliedBeforeValidation() {
    Result result =
        validator.check(
            CrdValidator.parse(
                resource(
                    CREDENTIALS,
                    BASIC,
                    """
          events: {}
        """)),
            null,
            FieldValidation.STRICT);

    assertThat(result.errors())
        .as("events.enabled defaults to false, so no callbackUrl is needed")
        .isEmpty();
    assertThat(result.object().at("/spec/deletionPolicy").asText()).isEqualTo("Delete");
    assertThat(result.object().at("/spec/events/enabled").isBoolean()).isTrue();
    assertThat(result.object().at("/spec/events/enabled").asBoolean()).isFalse();
  }

  @Test
  void signingDefaultsToGeneratedAndMayStayWhileEventsAreOff() {
    Result result =
        validator.check(
            CrdValidator.parse(
                resource(
                    CREDENTIALS,
                    BASIC,
                    """
          events: {enabled: false}
        """)),
            null,
            FieldValidation.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.object().at("/spec/events/signing").asText()).isEqualTo("Generated");
  }

  @Test
  void signatureKeyRefWithSigningAbsentIsAccepted() {
    assertThat(
            validator.validate(
                resource(
                    CREDENTIALS,
                    BASIC,
                    """
          events:
            enabled: true
            callbackUrl: https://hooks.example.com/cm
            signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}
        """)))
        .isEmpty();
  }

  @Test
  void addingSignatureKeyRefWhileSigningIsDisabledIsRejectedOnUpdate() {
    String before = fixture("events-signing-disabled.yaml");
    String after =
        before.replace(
            "    signing: Disabled\n",
            "    signing: Disabled\n    signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}\n");

    assertThat(after).isNotEqualTo(before);
    assertThat(validator.validateUpdate(before, after))
        .containsExactly(SIGNATURE_KEY_REF_WITH_DISABLED);
  }

  @Test
  void instanceNameLengthIsCountedInCharactersNotBytes() {
    String twoHundredEmoji = "📰".repeat(200);

    assertThat(
            validator.validate(
                resource(CREDENTIALS, BASIC, "  instanceName: " + twoHundredEmoji + "\n")))
        .isEmpty();
    assertThat(
            validator.validate(
                resource(CREDENTIALS, BASIC, "  instanceName: " + twoHundredEmoji + "x\n")))
        .containsExactly("spec.instanceName: Too long: may not be longer than 200");
  }

  @Test
  void nullValuesOfNonNullableFieldsArePrunedNotRejected() {
    // The API server drops "oauth: null" before validation, like an absent field.
    assertThat(
            validator.validate(resource(CREDENTIALS, BASIC, "  oauth: null\n  secretName: null\n")))
        .isEmpty();
  }

  @Test
  void resourceBuiltWithTheJavaModelIsValid() {
    CampaignMonitorInstance cmi = new CampaignMonitorInstance();
    cmi.setMetadata(
        new ObjectMetaBuilder().withName("newsletter").withNamespace("marketing").build());
    CampaignMonitorInstanceSpec spec = new CampaignMonitorInstanceSpec();
    spec.setCredentialsRef(new LocalSecretReference("cloud-elements-account"));
    BasicAuthSpec basic = new BasicAuthSpec();
    basic.setApiKeyRef(new SecretKeyReference("campaign-monitor-api-key", "apiKey"));
    spec.setBasic(basic);
    cmi.setSpec(spec);

    assertThat(validator.validateResource(cmi)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "https://operator.example.com/oauth/callback",
        "http://127.0.0.1:8081/oauth/callback",
        "http://127.0.0.1/oauth/callback",
        "http://localhost:8081/oauth/callback",
        "http://localhost",
        "http://localhost?x=1"
      })
  void oauthWithoutAuthorizationCodeRefAcceptsHttpsAndLoopbackCallbacks(String callbackUrl) {
    String yaml =
        resource(
            CREDENTIALS,
            """
          oauth:
            callbackUrl: "%s"
            consumerKeyRef: {name: campaign-monitor-app, key: consumerKey}
            consumerSecretRef: {name: campaign-monitor-app, key: consumerSecret}
        """
                .formatted(callbackUrl));

    assertThat(validator.validate(yaml)).isEmpty();
  }

  // ------------------------------------------------------------------ invalid

  static Stream<Arguments> invalidExamples() {
    return Stream.of(
        Arguments.of(
            "missing spec.credentialsRef",
            resource(BASIC),
            List.of("spec.credentialsRef: Required value")),
        Arguments.of(
            "both oauth and basic", resource(CREDENTIALS, OAUTH, BASIC), List.of(EXACTLY_ONE_AUTH)),
        Arguments.of("neither oauth nor basic", resource(CREDENTIALS), List.of(EXACTLY_ONE_AUTH)),
        Arguments.of(
            "events enabled without callbackUrl",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {enabled: true, listIds: [a1b2c3]}
                """),
            List.of(
                "spec.events: Invalid value: \"object\": "
                    + "events.callbackUrl is required when events.enabled is true")),
        Arguments.of(
            "signatureKeyRef with signing Disabled",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events:
                    enabled: true
                    callbackUrl: https://hooks.example.com/cm
                    signing: Disabled
                    signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}
                """),
            List.of(SIGNATURE_KEY_REF_WITH_DISABLED)),
        Arguments.of(
            "signatureKeyRef with events disabled",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events:
                    enabled: false
                    signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}
                """),
            List.of(SIGNATURE_KEY_REF_WITHOUT_EVENTS)),
        Arguments.of(
            "signatureKeyRef with events.enabled absent",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events:
                    signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}
                """),
            List.of(SIGNATURE_KEY_REF_WITHOUT_EVENTS)),
        Arguments.of(
            "signatureKeyRef with events disabled and signing Disabled",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events:
                    signing: Disabled
                    signatureKeyRef: {name: campaign-monitor-webhook, key: signatureKey}
                """),
            List.of(SIGNATURE_KEY_REF_WITH_DISABLED, SIGNATURE_KEY_REF_WITHOUT_EVENTS)),
        Arguments.of(
            "signing Off",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {enabled: true, callbackUrl: "https://hooks.example.com/cm", signing: "Off"}
                """),
            List.of(
                "spec.events.signing: Unsupported value: \"Off\": supported values: \"Disabled\", "
                    + "\"Generated\"")),
        Arguments.of(
            "signatureKeyRef without key",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events:
                    enabled: true
                    callbackUrl: https://hooks.example.com/cm
                    signatureKeyRef: {name: campaign-monitor-webhook}
                """),
            List.of("spec.events.signatureKeyRef.key: Required value")),
        Arguments.of(
            "http oauth callbackUrl",
            resource(CREDENTIALS, OAUTH.replace("https://", "http://")),
            List.of(PLAIN_HTTP_CALLBACK)),
        Arguments.of(
            "http oauth callbackUrl to a host that starts like localhost",
            resource(
                CREDENTIALS,
                OAUTH.replace("https://app.example.com", "http://localhost.example.com")),
            List.of(PLAIN_HTTP_CALLBACK)),
        Arguments.of(
            "http oauth callbackUrl to a host that starts like 127.0.0.1",
            resource(
                CREDENTIALS,
                OAUTH.replace("https://app.example.com", "http://127.0.0.1.example.com")),
            List.of(PLAIN_HTTP_CALLBACK)),
        Arguments.of(
            "http oauth callbackUrl with localhost as user info",
            resource(
                CREDENTIALS,
                OAUTH.replace("https://app.example.com", "http://localhost:80@example.com")),
            List.of(PLAIN_HTTP_CALLBACK)),
        Arguments.of(
            "http oauth callbackUrl to another loopback spelling",
            resource(CREDENTIALS, OAUTH.replace("https://app.example.com", "http://127.1")),
            List.of(PLAIN_HTTP_CALLBACK)),
        Arguments.of(
            "oauth callbackUrl with a space",
            resource(CREDENTIALS, OAUTH.replace("/oauth/callback", "/oauth/call back")),
            List.of(PLAIN_HTTP_CALLBACK.replace("oauth/callback", "oauth/call back"))),
        Arguments.of(
            "http events callbackUrl",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {enabled: true, callbackUrl: "http://hooks.example.com/campaign-monitor"}
                """),
            List.of(
                "spec.events.callbackUrl: Invalid value: \"http://hooks.example.com/campaign-monitor\": "
                    + "spec.events.callbackUrl in body should match "
                    + HTTPS_PATTERN)),
        Arguments.of(
            "callbackUrl with a space",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {enabled: true, callbackUrl: "https://hooks.example.com/campaign monitor"}
                """),
            List.of(
                "spec.events.callbackUrl: Invalid value: \"https://hooks.example.com/campaign monitor\": "
                    + "spec.events.callbackUrl in body should match "
                    + HTTPS_PATTERN)),
        Arguments.of(
            "listIds entry with a comma",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {listIds: [a1b2c3, "d4e5f6,a7b8c9"]}
                """),
            List.of(
                "spec.events.listIds[1]: Invalid value: \"d4e5f6,a7b8c9\": "
                    + "spec.events.listIds[1] in body should match '^[^,\\s]+$'")),
        Arguments.of(
            "listIds entry with a space",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  events: {listIds: ["a1b2c3 d4e5f6"]}
                """),
            List.of(
                "spec.events.listIds[0]: Invalid value: \"a1b2c3 d4e5f6\": "
                    + "spec.events.listIds[0] in body should match '^[^,\\s]+$'")),
        Arguments.of(
            "empty tag",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  tags: [Docs, ""]
                """),
            List.of(
                "spec.tags[1]: Invalid value: \"\": spec.tags[1] in body should be at least 1 chars long")),
        Arguments.of(
            "tag with a comma",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  tags: ["Docs,News"]
                """),
            List.of(
                "spec.tags[0]: Invalid value: \"Docs,News\": spec.tags[0] in body should match '^[^,]*$'")),
        Arguments.of(
            "51 tags",
            resource(
                CREDENTIALS,
                BASIC,
                "  tags: ["
                    + IntStream.rangeClosed(1, 51)
                        .mapToObj(i -> "tag" + i)
                        .collect(Collectors.joining(", "))
                    + "]\n"),
            List.of("spec.tags: Too many: 51: must have at most 50 items")),
        Arguments.of(
            "secretName with uppercase",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  secretName: Newsletter-Instance
                """),
            List.of(
                "spec.secretName: Invalid value: \"Newsletter-Instance\": spec.secretName in body should match "
                    + DNS_SUBDOMAIN_PATTERN)),
        Arguments.of(
            "deletionPolicy Keep",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  deletionPolicy: Keep
                """),
            List.of(
                "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Orphan\"")),
        Arguments.of(
            "missing oauth.consumerSecretRef",
            resource(
                CREDENTIALS,
                """
                  oauth:
                    callbackUrl: https://app.example.com/oauth/callback
                    consumerKeyRef: {name: campaign-monitor-app, key: consumerKey}
                """),
            List.of("spec.oauth.consumerSecretRef: Required value")),
        Arguments.of(
            "empty key in a SecretKeyReference",
            resource(
                CREDENTIALS,
                """
                  basic:
                    apiKeyRef: {name: campaign-monitor-api-key, key: ""}
                """),
            List.of(
                "spec.basic.apiKeyRef.key: Invalid value: \"\": spec.basic.apiKeyRef.key in body should be at "
                    + "least 1 chars long",
                "spec.basic.apiKeyRef.key: Invalid value: \"\": spec.basic.apiKeyRef.key in body should match "
                    + "'^[-._a-zA-Z0-9]+$'")),
        Arguments.of(
            "Secret name with uppercase in a reference",
            resource("  credentialsRef: {name: Cloud-Elements}\n", BASIC),
            List.of(
                "spec.credentialsRef.name: Invalid value: \"Cloud-Elements\": spec.credentialsRef.name in body "
                    + "should match "
                    + DNS_SUBDOMAIN_PATTERN)),
        Arguments.of(
            "empty instanceName",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  instanceName: ""
                """),
            List.of(
                "spec.instanceName: Invalid value: \"\": spec.instanceName in body should be at least 1 "
                    + "chars long")),
        Arguments.of(
            "tags not a list",
            resource(
                CREDENTIALS,
                BASIC,
                """
                  tags: Docs
                """),
            List.of(
                "spec.tags: Invalid value: \"string\": spec.tags in body must be of type array: \"string\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidExamples")
  void invalidExamplesAreRejected(String name, String yaml, List<String> expectedErrors) {
    assertThat(validator.validate(yaml)).containsExactlyInAnyOrderElementsOf(expectedErrors);
  }

  /**
   * Unknown fields are not a validation error for the API server: they are pruned (dropped) before
   * validation and stored without them. With the default fieldValidation=Warn the client gets a
   * warning; kubectl (fieldValidation=Strict by default) gets an error. So a cross-namespace {@code
   * credentialsRef.namespace} can never take effect: the operator never sees it.
   */
  @Test
  void crossNamespaceReferenceIsPrunedAsAnUnknownField() {
    JsonNode object =
        CrdValidator.parse(
            resource(
                """
          credentialsRef: {name: cloud-elements-account, namespace: other-team}
        """,
                BASIC));

    Result warn = validator.check(object, null, FieldValidation.WARN);
    assertThat(warn.errors()).isEmpty();
    assertThat(warn.warnings())
        .containsExactly("spec.credentialsRef.namespace: unknown field, would be pruned");
    assertThat(warn.object().at("/spec/credentialsRef").toString())
        .isEqualTo("{\"name\":\"cloud-elements-account\"}");

    assertThat(validator.validate(object))
        .as("validate() = create with fieldValidation=Warn")
        .isEmpty();

    assertThat(validator.check(object, null, FieldValidation.STRICT).errors())
        .containsExactly(
            "spec.credentialsRef.namespace: unknown field (rejected with fieldValidation=Strict)");
  }

  @Test
  void unknownFieldsAnywhereArePrunedButApiVersionKindMetadataAreKept() {
    Result result =
        validator.check(
            CrdValidator.parse(
                resource(
                        CREDENTIALS,
                        BASIC,
                        """
          namespaceSelector: {}
          oauthh: {callbackUrl: "http://typo"}
        """)
                    + "extra: 1\n"),
            null,
            FieldValidation.WARN);

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings())
        .containsExactlyInAnyOrder(
            "spec.namespaceSelector: unknown field, would be pruned",
            "spec.oauthh: unknown field, would be pruned",
            "extra: unknown field, would be pruned");
    assertThat(result.object().has("metadata")).isTrue();
    assertThat(result.object().at("/metadata/name").asText()).isEqualTo("newsletter");
  }

  /**
   * Schema gap (reported): the root schema does not list {@code spec} as required, so a resource
   * without spec passes the API server and only the operator can complain. When {@code spec}
   * becomes required, expect {@code "spec: Required value"} here.
   */
  @Test
  void resourceWithoutSpecIsAcceptedBecauseSpecIsNotRequiredAtTheRoot() {
    List<String> errors =
        validator.validate(
            """
        apiVersion: cloudelements.io/v1alpha1
        kind: CampaignMonitorInstance
        metadata: {name: newsletter}
        """);
    boolean specRequired =
        validator.openApiV3Schema().path("required").toString().contains("\"spec\"");

    assertThat(errors).isEqualTo(specRequired ? List.of("spec: Required value") : List.of());
  }

  // ------------------------------------------------------------------ updates

  @Test
  void updateOfValidResourceIsValidAndUpdateToInvalidResourceReportsTheSameErrorsAsCreate() {
    String valid = fixture("oauth-full.yaml");
    String invalid = valid.replace("deletionPolicy: Delete", "deletionPolicy: Keep");

    assertThat(validator.validateUpdate(valid, valid)).isEmpty();
    assertThat(validator.validateUpdate(valid, fixture("basic-minimal.yaml"))).isEmpty();
    assertThat(validator.validateUpdate(valid, invalid))
        .isEqualTo(validator.validate(invalid))
        .hasSize(1);
  }

  // ------------------------------------------------------------------ the CEL rules themselves

  static Stream<Rule> crdRules() {
    return CrdValidator.forGeneratedCrd().rules().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crdRules")
  void everyCelRuleCompilesToABool(Rule rule) {
    assertThat(rule.compileError()).as(rule.location() + ": " + rule.rule()).isNull();
    assertThat(rule.message()).as("message of " + rule.rule()).isNotBlank();
  }

  @Test
  void knownCelRulesArePresent() {
    assertThat(validator.rules())
        .extracting(Rule::location, Rule::rule, Rule::transition)
        .contains(
            tuple("spec", "has(self.oauth) != has(self.basic)", false),
            tuple(
                "spec.events",
                "!has(self.enabled) || !self.enabled || has(self.callbackUrl)",
                false),
            tuple(
                "spec.events",
                "!has(self.signatureKeyRef) || !has(self.signing) || self.signing != 'Disabled'",
                false),
            tuple(
                "spec.events",
                "!has(self.signatureKeyRef) || (has(self.enabled) && self.enabled)",
                false),
            tuple("spec.oauth.callbackUrl", OAuthSpec.CALLBACK_URL_RULE, false));
  }

  /**
   * CEL cost budget guard. The API server estimates each rule's worst-case cost from the schema and
   * rejects the CRD when a rule could exceed the per-expression budget; unbounded strings, lists
   * and maps below a rule (or unbounded lists above it, which multiply how often it runs) are what
   * blows the estimate. This keeps every value a rule can see bounded.
   */
  @Test
  void celRulesOnlySeeBoundedData() {
    List<String> unbounded = new ArrayList<>();
    findUnboundedDataSeenByRules(validator.openApiV3Schema(), "", false, false, unbounded);

    assertThat(unbounded)
        .as("unbounded values seen by CEL rules (add maxLength/maxItems/maxProperties)")
        .isEmpty();
  }

  private static void findUnboundedDataSeenByRules(
      JsonNode schema,
      String path,
      boolean underRule,
      boolean underUnboundedList,
      List<String> unbounded) {
    boolean hasRules = schema.has("x-kubernetes-validations");
    if (hasRules && underUnboundedList) {
      unbounded.add(path + ": rule inside a list without maxItems");
    }
    boolean seen = underRule || hasRules;
    String type = schema.path("type").asText();
    if (seen && "string".equals(type) && !schema.has("maxLength") && !schema.has("enum")) {
      unbounded.add(path + ": string without maxLength");
    }
    if (seen && "array".equals(type) && !schema.has("maxItems")) {
      unbounded.add(path + ": array without maxItems");
    }
    if (seen && schema.path("additionalProperties").isObject() && !schema.has("maxProperties")) {
      unbounded.add(path + ": map without maxProperties");
    }
    boolean unboundedList = underUnboundedList || ("array".equals(type) && !schema.has("maxItems"));
    schema
        .path("properties")
        .properties()
        .forEach(
            p ->
                findUnboundedDataSeenByRules(
                    p.getValue(),
                    path.isEmpty() ? p.getKey() : path + "." + p.getKey(),
                    seen,
                    underUnboundedList,
                    unbounded));
    if (schema.path("items").isObject()) {
      findUnboundedDataSeenByRules(
          schema.get("items"), path + "[*]", seen, unboundedList, unbounded);
    }
    if (schema.path("additionalProperties").isObject()) {
      findUnboundedDataSeenByRules(
          schema.get("additionalProperties"),
          path + "[*]",
          seen,
          underUnboundedList || !schema.has("maxProperties"),
          unbounded);
    }
  }

  // ------------------------------------------------------------------ the helper on synthetic
  // schemas

  /**
   * The CRD has no transition rule yet; {@code spec.instanceId} will get {@code self == oldSelf}.
   * These pin how {@link CrdValidator#validateUpdate} treats such rules, like the API server.
   */
  @Nested
  class TransitionRules {

    private final CrdValidator immutableId =
        CrdValidator.fromOpenApiV3Schema(
            CrdValidator.parse(
                """
        type: object
        properties:
          spec:
            type: object
            properties:
              instanceId:
                type: integer
                x-kubernetes-validations:
                - rule: self == oldSelf
                  message: spec.instanceId is immutable
              note:
                type: string
                maxLength: 10
                x-kubernetes-validations:
                - rule: "!oldSelf.hasValue() || self.size() >= oldSelf.value().size()"
                  optionalOldSelf: true
                  message: note may only grow
                - rule: self != 'forbidden'
        """));

    @Test
    void rulesAreClassified() {
      assertThat(immutableId.rules())
          .extracting(Rule::location, Rule::transition, Rule::optionalOldSelf, Rule::compileError)
          .containsExactly(
              tuple("spec.instanceId", true, false, null),
              tuple("spec.note", true, true, null),
              tuple("spec.note", false, false, null));
    }

    @Test
    void transitionRulesAreSkippedOnCreate() {
      assertThat(immutableId.validate("spec: {instanceId: 42}")).isEmpty();
    }

    @Test
    void unchangedValueIsAccepted() {
      assertThat(immutableId.validateUpdate("spec: {instanceId: 42}", "spec: {instanceId: 42}"))
          .isEmpty();
    }

    @Test
    void changedValueIsRejected() {
      assertThat(immutableId.validateUpdate("spec: {instanceId: 42}", "spec: {instanceId: 43}"))
          .containsExactly(
              "spec.instanceId: Invalid value: \"integer\": spec.instanceId is immutable");
    }

    /**
     * Setting or removing the field is not a transition of the field: a rule on spec must forbid
     * it.
     */
    @Test
    void settingOrRemovingTheValueIsNotCoveredByTheFieldRule() {
      assertThat(immutableId.validateUpdate("spec: {}", "spec: {instanceId: 43}")).isEmpty();
      assertThat(immutableId.validateUpdate("spec: {instanceId: 42}", "spec: {}")).isEmpty();
    }

    @Test
    void optionalOldSelfRulesRunOnCreateAndUpdate() {
      assertThat(immutableId.validate("spec: {note: abc}")).isEmpty();
      assertThat(immutableId.validateUpdate("spec: {note: abc}", "spec: {note: abcd}")).isEmpty();
      assertThat(immutableId.validateUpdate("spec: {note: abc}", "spec: {note: ab}"))
          .containsExactly("spec.note: Invalid value: \"string\": note may only grow");
    }

    @Test
    void ruleWithoutMessageReportsTheRule() {
      assertThat(immutableId.validate("spec: {note: forbidden}"))
          .containsExactly(
              "spec.note: Invalid value: \"string\": failed rule: self != 'forbidden'");
    }

    @Test
    void ruleThatDoesNotCompileIsReported() {
      CrdValidator broken =
          CrdValidator.fromOpenApiV3Schema(
              CrdValidator.parse(
                  """
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
              - rule: "self.size("
              - rule: "'not a bool'"
          """));

      assertThat(broken.rules()).allSatisfy(r -> assertThat(r.compileError()).isNotNull());
      assertThat(broken.validate("spec: {}"))
          .hasSize(2)
          .allSatisfy(e -> assertThat(e).startsWith("spec: rule does not compile"));
    }
  }
}
