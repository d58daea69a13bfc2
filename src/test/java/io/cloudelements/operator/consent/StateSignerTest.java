package io.cloudelements.operator.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateSignerTest {

  private static final Instant EXPIRY = Instant.parse("2026-12-05T10:15:00Z");
  private final SecureRandom random = new SecureRandom();
  private final byte[] key = StateSigner.newKey(random);
  private final StateSigner signer = new StateSigner(key, random);

  @Test
  void anIssuedStateVerifiesToWhatItWasIssuedFor() {
    String state = signer.issue("marketing", "newsletter", "0b6f-uid", "a1b2c3d4e5f60718", EXPIRY);

    ConsentState verified = signer.verify(state).orElseThrow();

    assertThat(verified.namespace()).isEqualTo("marketing");
    assertThat(verified.name()).isEqualTo("newsletter");
    assertThat(verified.uid()).isEqualTo("0b6f-uid");
    assertThat(verified.attempt()).isEqualTo("a1b2c3d4e5f60718");
    assertThat(verified.expiresAt()).isEqualTo(EXPIRY);
    assertThat(verified.resource()).isEqualTo("marketing/newsletter");
  }

  @Test
  void everyIssuedStateIsDifferentEvenForTheSameAttempt() {
    Set<String> states = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      states.add(signer.issue("marketing", "newsletter", "uid", "attempt", EXPIRY));
    }
    assertThat(states).hasSize(200);
  }

  @Test
  void aStateSignedWithAnotherKeyIsRejected() {
    StateSigner other = new StateSigner(StateSigner.newKey(random), random);
    String forged = other.issue("marketing", "newsletter", "uid", "attempt", EXPIRY);

    assertThat(signer.verify(forged)).isEmpty();
  }

  @Test
  void changingAnyCharacterOfTheStateMakesItInvalid() {
    String state = signer.issue("marketing", "newsletter", "uid", "attempt", EXPIRY);
    for (int i = 0; i < state.length(); i++) {
      char c = state.charAt(i);
      char swapped = c == 'A' ? 'B' : 'A';
      String tampered = state.substring(0, i) + swapped + state.substring(i + 1);
      assertThat(signer.verify(tampered)).as("changed at %d", i).isEmpty();
    }
  }

  @Test
  void aStateWhoseLastCharacterDiffersOnlyInBitsBase64IgnoresIsRejected() {
    for (int i = 0; i < 50; i++) {
      String state = signer.issue("marketing", "newsletter", "uid", "attempt", EXPIRY);
      char last = state.charAt(state.length() - 1);
      String alias = state.substring(0, state.length() - 1) + (char) (last ^ 1);
      assertThat(signer.verify(alias)).as(alias).isEmpty();
    }
  }

  @Test
  void aPayloadRewrittenForAnotherResourceWithTheOldMacIsRejected() {
    String state = signer.issue("marketing", "newsletter", "uid", "attempt", EXPIRY);
    String payload =
        new String(
            Base64.getUrlDecoder().decode(state.substring(0, state.indexOf('.'))),
            StandardCharsets.US_ASCII);
    String rewritten =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                payload.replace("newsletter", "billing").getBytes(StandardCharsets.US_ASCII));

    assertThat(signer.verify(rewritten + state.substring(state.indexOf('.')))).isEmpty();
  }

  @Test
  void malformedAndOversizedValuesAreRejectedWithoutAnException() {
    assertThat(signer.verify(null)).isEmpty();
    assertThat(signer.verify("")).isEmpty();
    assertThat(signer.verify("not-a-state")).isEmpty();
    assertThat(signer.verify("a.b.c")).isEmpty();
    assertThat(signer.verify("<script>." + "a".repeat(64))).isEmpty();
    assertThat(signer.verify("A".repeat(2000) + "." + "a".repeat(64))).isEmpty();
    String state = signer.issue("ns", "n", "u", "a", EXPIRY);
    assertThat(signer.verify(state.toUpperCase()))
        .as("only the canonical lower-case hex")
        .isEmpty();
  }

  @Test
  void expiryIsTheCallersCheck() {
    ConsentState state = signer.verify(signer.issue("ns", "n", "u", "a", EXPIRY)).orElseThrow();

    assertThat(state.expired(EXPIRY.minusSeconds(1))).isFalse();
    assertThat(state.expired(EXPIRY)).isTrue();
  }

  @Test
  void fieldsWithTheSeparatorCannotBeSigned() {
    assertThatThrownBy(() -> signer.issue("ns", "a|b", "u", "a", EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShortKeyIsRefusedAndTheKeyIsNeverShown() {
    assertThatThrownBy(() -> new StateSigner(new byte[16], random))
        .hasMessageContaining("at least 32 bytes");
    assertThat(signer.toString())
        .doesNotContain(Base64.getEncoder().encodeToString(key))
        .contains("****");
  }

  @Test
  void attemptIdsAreRandomHex() {
    String a = signer.newAttempt();
    assertThat(a).matches("[0-9a-f]{16}");
    assertThat(signer.newAttempt()).isNotEqualTo(a);
  }
}
