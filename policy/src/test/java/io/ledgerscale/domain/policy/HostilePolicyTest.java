// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Policies shaped to hurt the parser, each found or suggested by {@link PolicyFuzzTest}: they are
 * refused with a position, or accepted, in linear time and without deep recursion.
 */
class HostilePolicyTest {
  /**
   * Far beyond any honest policy, yet each case below is exponential or recursive without a fix.
   */
  private static final Duration NO_HANG = Duration.ofSeconds(60);

  @Test
  void refusesDeepNestingWithAPosition() {
    String deep = "{\"acls\": [" + "[".repeat(5_000) + "]".repeat(5_000) + "]}";
    assertThatThrownBy(() -> Policy.parse(deep))
        .isInstanceOfSatisfying(
            PolicyException.class,
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isGreaterThan(1);
              assertThat(e.reason()).contains("nest");
            });
  }

  @Test
  void refusesNestedAppCapabilitiesDeeperThanTheBound() {
    // an app capability value is stored as JSON and later written into map responses inside
    // several more levels; it must be refused at parse time, not when a map is written
    String value = "{\"a\":".repeat(80) + "1" + "}".repeat(80);
    String policy =
        "{\"grants\": [{\"src\": [\"*\"], \"dst\": [\"*\"], \"app\": {\"example.com/cap/x\": ["
            + value
            + "]}}]}";
    assertThatThrownBy(() -> Policy.parse(policy))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.line()).isEqualTo(1));
  }

  @Test
  void refusesGroupsThatShareNestedGroupsWithoutWalkingThem() {
    // every group names the next one twice: 2^60 paths through 60 groups, were they followed
    StringBuilder groups = new StringBuilder();
    int n = 60;
    for (int i = 0; i < n; i++) {
      groups.append(
          String.format("\"group:g%d\": [\"group:g%d\", \"group:g%d\"],", i, i + 1, i + 1));
    }
    groups.append(String.format("\"group:g%d\": [\"alice@example.com\"]", n));
    String policy = "{\"groups\": {" + groups + "}}";
    assertThatThrownBy(() -> assertTimeoutPreemptively(NO_HANG, () -> Policy.parse(policy)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(
            String.format(
                "groups[\"group:g%d\"]: \"group:g%d\": group members cannot be recursive",
                n - 1, n));
  }

  @Test
  void refusesALongChainOfNestedGroupsWithoutOverflowingTheStack() {
    int n = 20_000;
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < n; i++) {
      groups.append(String.format("\"group:g%d\":[\"group:g%d\"],", i, i + 1));
    }
    groups.append(String.format("\"group:g%d\":[\"group:g%d\"]", n, n - 1));
    String policy =
        "{\"groups\":{"
            + groups
            + "},\"acls\":[{\"action\":\"accept\",\"src\":[\"group:g0\"],\"dst\":[\"*:*\"]}]}";
    assertThatThrownBy(() -> assertTimeoutPreemptively(NO_HANG, () -> Policy.parse(policy)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(
            String.format(
                "groups[\"group:g%d\"]: \"group:g%d\": group members cannot be recursive",
                n, n - 1));
  }

  @Test
  void refusesACheckPeriodBeyondSixtyFourBitsInsteadOfWrappingIt() {
    // 2^64 ns + 1h narrowed to a long is exactly 1h
    String policy =
        "{\"tagOwners\": {\"tag:s\": [\"a@example.com\"]}, \"ssh\": [{\"action\": \"check\","
            + " \"src\": [\"a@example.com\"], \"dst\": [\"tag:s\"], \"users\": [\"root\"],"
            + " \"checkPeriod\": \"18446747673709551616ns\"}]}";
    assertThatThrownBy(() -> Policy.parse(policy))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("time: invalid duration");
    assertThat(GoDuration.parse("-9223372036854775808ns"))
        .isEqualTo(Duration.ofNanos(Long.MIN_VALUE));
  }

  @Test
  void readsNumbersInAsciiDigitsOnly() {
    // fullwidth 22 and Arabic-Indic 10.0.0.1: Java's isDigit and parseInt take them, Go does not
    String port =
        "{\"hosts\": {\"db\": \"10.0.0.1\"}, \"acls\": [{\"action\": \"accept\", \"src\": [\"*\"],"
            + " \"dst\": [\"db:\uff12\uff12\"]}]}";
    assertThatThrownBy(() -> Policy.parse(port)).isInstanceOf(PolicyException.class);
    String host = "{\"hosts\": {\"db\": \"\u0661\u0660.\u0660.\u0660.\u0661\"}}";
    assertThatThrownBy(() -> Policy.parse(host)).isInstanceOf(PolicyException.class);
    String proto =
        "{\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"],"
            + " \"proto\": \"\u0661\u0667\"}]}";
    assertThatThrownBy(() -> Policy.parse(proto)).isInstanceOf(PolicyException.class);
    String prefix = "{\"hosts\": {\"lan\": \"10.0.0.0/\u0668\"}}";
    assertThatThrownBy(() -> Policy.parse(prefix)).isInstanceOf(PolicyException.class);
  }
}
