package io.cloudelements.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudelements.operator.webhook.WebhookSignature;
import io.cloudelements.operator.webhook.WebhookSignatureKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippets of docs/events.md verify a body signed by the operator's signing code, and refuse
 * tampered ones. The same snippets are run against real simulator deliveries by the signed-webhook
 * integration tests.
 */
class EventsDocSnippetsTest {

  /**
   * A body as Cloud Elements sends it, with the spacing a re-serialization would lose, and
   * non-ASCII text.
   */
  private static final byte[] BODY =
      """
      {"message": {"eventId": 4711, "events": [{"objectType": "subscribers", "objectId": "ana@example.com",
        "eventType": "CREATED", "elementKey": "campaignmonitor", "date": "2024-06-01T10:00:00Z"}],
        "raw": {"Name": "Ana Müller"}}}
      """
          .getBytes(StandardCharsets.UTF_8);

  private static final WebhookSignatureKey KEY = WebhookSignatureKey.generate(new SecureRandom());
  private static final String SIGNATURE = WebhookSignature.sign(KEY, BODY);
  private static final byte[] TAMPERED =
      new String(BODY, StandardCharsets.UTF_8)
          .replace("CREATED", "DELETED")
          .getBytes(StandardCharsets.UTF_8);

  @TempDir static Path work;
  private static EventsDocSnippets.JavaVerifier javaSnippet;

  @BeforeAll
  static void compile() throws Exception {
    javaSnippet = EventsDocSnippets.compileJava(work);
  }

  @Test
  void theJavaSnippetAcceptsAGenuineDelivery() {
    assertThat(javaSnippet.verify(KEY.value(), BODY, SIGNATURE)).isTrue();
  }

  @Test
  void theJavaSnippetRefusesTamperedBodiesWrongKeysAndBareSignatures() {
    assertThat(javaSnippet.verify(KEY.value(), TAMPERED, SIGNATURE)).isFalse();
    assertThat(
            javaSnippet.verify(
                WebhookSignatureKey.generate(new SecureRandom()).value(), BODY, SIGNATURE))
        .isFalse();
    assertThat(javaSnippet.verify(KEY.value(), BODY, SIGNATURE.substring("sha256=".length())))
        .isFalse();
    assertThat(javaSnippet.verify(KEY.value(), BODY, null)).isFalse();
    assertThat(javaSnippet.verify(KEY.value(), BODY, "sha256=%%%")).isFalse();
  }

  @Test
  void theShellSnippetAcceptsAGenuineDelivery() throws Exception {
    assertThat(EventsDocSnippets.runShell(work, KEY.value(), BODY, SIGNATURE))
        .isEqualTo("signature valid");
  }

  @Test
  void theShellSnippetRefusesATamperedBodyAndAWrongKey() throws Exception {
    assertThat(EventsDocSnippets.runShell(work, KEY.value(), TAMPERED, SIGNATURE))
        .isEqualTo("signature invalid");
    assertThat(EventsDocSnippets.runShell(work, "another-key", BODY, SIGNATURE))
        .isEqualTo("signature invalid");
  }

  @Test
  void theDocumentedKeyFingerprintCommandMatchesTheStatusFingerprint() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", "printf %s \"$KEY\" | sha256sum | cut -c1-12");
    builder.environment().put("KEY", KEY.value());
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String printed =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

    assertThat("sha256:" + printed).isEqualTo(KEY.fingerprint());
    assertThat(Files.readString(EventsDocSnippets.DOC))
        .contains("printf %s \"$KEY\" | sha256sum | cut -c1-12");
  }
}
