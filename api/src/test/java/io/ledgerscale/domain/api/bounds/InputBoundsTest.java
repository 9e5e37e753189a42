// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputBoundsTest {

  @Test
  void shouldPassOrdinaryValues() {
    assertThat(
            InputBounds.first(
                InputBounds.userName("name", "alice@example.com"),
                InputBounds.displayName("displayName", "Alice Ängström 🚀"),
                InputBounds.email("email", "alice@example.com"),
                InputBounds.pictureUrl("pictureUrl", "https://pics.example/a.png"),
                InputBounds.nodeName("name", "laptop-2"),
                InputBounds.tags("tags", List.of("tag:web", "tag:db-1")),
                InputBounds.reason("reason", "left the company"),
                InputBounds.keyText("prefix", "lskey-api-AbC_12-***"),
                InputBounds.idText("auth_id", "lskey-authreq-AAAA_bbbb-1234"),
                InputBounds.policy("policy", "{\n\t// HuJSON\r\n\t\"acls\": [],\n}"),
                InputBounds.instant("expiration", Instant.parse("2999-01-01T00:00:00Z"))))
        .isEmpty();
  }

  @Test
  void cannotHoldANulOrAnyControlCharacterAnywhere() {
    assertThat(InputBounds.displayName("displayName", "a\u0000b"))
        .hasValueSatisfying(v -> assertThat(v.field()).isEqualTo("displayName"));
    assertThat(InputBounds.email("email", "x\u0000@example.com")).isPresent();
    assertThat(InputBounds.reason("reason", "line\nbreak")).isPresent();
    assertThat(InputBounds.reason("reason", "c1\u0085")).isPresent();
    assertThat(InputBounds.reason("reason", "del\u007f")).isPresent();
    assertThat(InputBounds.policy("policy", "{}\u0000")).isPresent();
    assertThat(InputBounds.userName("name", "a\u0000b")).isPresent();
  }

  @Test
  void cannotHoldHalfASurrogatePair() {
    assertThat(InputBounds.displayName("displayName", "a\ud800b")).isPresent();
    assertThat(InputBounds.displayName("displayName", "\udc00")).isPresent();
    assertThat(InputBounds.displayName("displayName", "\ud83d\ude80")).isEmpty();
  }

  @Test
  void cannotExceedTheLengthOfItsField() {
    assertThat(InputBounds.userName("name", "q".repeat(256))).isPresent();
    assertThat(InputBounds.userName("name", "q".repeat(255))).isEmpty();
    assertThat(InputBounds.displayName("displayName", "q".repeat(3_000)))
        .hasValueSatisfying(v -> assertThat(v.rule()).contains("at most 255").contains("3000"));
    assertThat(InputBounds.email("email", "q".repeat(250) + "@e.com")).isPresent();
    assertThat(InputBounds.nodeName("name", "q".repeat(64))).isPresent();
    assertThat(InputBounds.reason("reason", "q".repeat(1_025))).isPresent();
    assertThat(InputBounds.policy("policy", "q".repeat(InputBounds.POLICY_MAX + 1))).isPresent();
    assertThat(InputBounds.tags("tags", List.of("tag:" + "q".repeat(200)))).isPresent();
    assertThat(InputBounds.tags("tags", Collections.nCopies(65, "tag:a"))).isPresent();
  }

  @Test
  void shouldFollowTailscalesTagAndHeadscalesUserNameRules() {
    assertThat(InputBounds.tags("tags", List.of("web"))).isPresent();
    assertThat(InputBounds.tags("tags", List.of("tag:1web"))).isPresent();
    assertThat(InputBounds.tags("tags", List.of("tag:we b"))).isPresent();
    assertThat(InputBounds.userName("name", "-alice")).isPresent();
    assertThat(InputBounds.userName("name", "al ice")).isPresent();
    assertThat(InputBounds.nodeName("name", "Laptop")).isPresent();
    assertThat(InputBounds.nodeName("name", "lap-")).isPresent();
  }

  @Test
  void shouldAcceptOnlyWebPictureUrlsAndPlainEmails() {
    assertThat(InputBounds.pictureUrl("pictureUrl", "javascript:alert(1)")).isPresent();
    assertThat(InputBounds.pictureUrl("pictureUrl", "https://a.example/x y.png")).isPresent();
    assertThat(InputBounds.email("email", "no-at-sign")).isPresent();
    assertThat(InputBounds.email("email", "two@@example.com")).isPresent();
    assertThat(InputBounds.email("email", "")).isEmpty();
  }

  @Test
  void shouldBoundTimesToTheYears1970To9999() {
    assertThat(InputBounds.instant("expiration", Instant.parse("+999999999-12-31T23:59:59Z")))
        .hasValueSatisfying(v -> assertThat(v.message()).startsWith("expiration: "));
    assertThat(InputBounds.instant("expiration", Instant.parse("9999-12-31T23:59:59Z"))).isEmpty();
    assertThat(InputBounds.instant("expiration", Instant.parse("1969-12-31T23:59:59Z")))
        .isPresent();
    assertThat(InputBounds.instant("expiration", null)).isEmpty();
  }

  @Test
  void shouldNeverQuoteTheValueInTheViolation() {
    String poison = "q".repeat(3_000) + "\u0000";
    BoundViolation v = InputBounds.displayName("displayName", poison).orElseThrow();
    assertThat(v.message()).hasSizeLessThan(200).doesNotContain("qqqq");
  }
}
