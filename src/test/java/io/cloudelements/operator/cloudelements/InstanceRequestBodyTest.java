package io.cloudelements.operator.cloudelements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceRequestBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void oauthBodyFollowsTheDocumentedShapeExactly() throws Exception {
    DesiredInstance desired =
        new DesiredInstance(
            "API Instance",
            List.of("Docs"),
            "owner-tag",
            new DesiredInstance.OAuth(
                "https://app.example.com/cb", "ck", "cs", "xoz8AFqScK2ngM04kSSM"),
            new DesiredInstance.Events(
                true, "https://hooks.example.com/cm", List.of("a1b2c3", "d4e5f6")));

    JsonNode expected =
        JSON.readTree(
            """
        {
          "element": {"key": "campaignmonitor"},
          "providerData": {"code": "xoz8AFqScK2ngM04kSSM"},
          "configuration": {
            "oauth.callback.url": "https://app.example.com/cb",
            "oauth.api.key": "ck",
            "oauth.api.secret": "cs",
            "event.notification.enabled": true,
            "event.notification.callback.url": "https://hooks.example.com/cm",
            "events.list.ids": "a1b2c3,d4e5f6"
          },
          "tags": ["Docs", "owner-tag"],
          "name": "API Instance"
        }""");
    JsonNode body = InstanceRequestBody.create(desired);

    assertThat(body).isEqualTo(expected);
    assertThat(body.at("/configuration/event.notification.enabled").isBoolean()).isTrue();
  }

  @Test
  void basicBodyCarriesTheApiKeyAsUsernameAndNoProviderData() throws Exception {
    DesiredInstance desired =
        new DesiredInstance(
            "Newsletter", List.of(), "owner-tag", new DesiredInstance.Basic("api-key-1"), null);

    assertThat(InstanceRequestBody.create(desired))
        .isEqualTo(
            JSON.readTree(
                """
        {
          "element": {"key": "campaignmonitor"},
          "configuration": {"authentication.type": "basic", "username": "api-key-1"},
          "tags": ["owner-tag"],
          "name": "Newsletter"
        }"""));
  }

  @Test
  void eventsDisabledIsSentAsFalseWithoutListIds() {
    DesiredInstance desired =
        new DesiredInstance(
            "n",
            List.of(),
            "t",
            new DesiredInstance.Basic("k"),
            new DesiredInstance.Events(false, null, List.of()));

    JsonNode config = InstanceRequestBody.create(desired).get("configuration");

    assertThat(config.get("event.notification.enabled").asBoolean(true)).isFalse();
    assertThat(config.has("events.list.ids")).isFalse();
    assertThat(config.has("event.notification.callback.url")).isFalse();
  }

  @Test
  void aSignatureKeyIsSentAsEventNotificationSignatureKey() {
    DesiredInstance desired =
        new DesiredInstance(
            "n",
            List.of(),
            "t",
            new DesiredInstance.Basic("k"),
            new DesiredInstance.Events(
                true, "https://hooks.example.com/cm", List.of(), "the-signature-key"));

    JsonNode config = InstanceRequestBody.create(desired).get("configuration");

    assertThat(config.get("event.notification.signature.key").asText())
        .isEqualTo("the-signature-key");
    assertThat(InstanceRequestBody.SECRET_CONFIGURATION_KEYS)
        .contains("event.notification.signature.key");
  }

  @Test
  void withoutASignatureKeyNoneIsSent() {
    DesiredInstance desired =
        new DesiredInstance(
            "n",
            List.of(),
            "t",
            new DesiredInstance.Basic("k"),
            new DesiredInstance.Events(true, "https://hooks.example.com/cm", List.of()));

    assertThat(
            InstanceRequestBody.create(desired)
                .get("configuration")
                .has("event.notification.signature.key"))
        .isFalse();
  }

  @Test
  void theOwnershipTagIsNeverDuplicated() {
    DesiredInstance desired =
        new DesiredInstance("n", List.of("a", "t"), "t", new DesiredInstance.Basic("k"), null);

    assertThat(desired.allTags()).containsExactly("a", "t");
  }
}
