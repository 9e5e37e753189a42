// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @CsvSource({
    "laptop, laptop",
    "Bob's iPhone, bob-s-iphone",
    "--edge--, edge",
    "'', node",
    "日本, node",
    "a.b.c, a-b-c"
  })
  void shouldTurnHostnamesIntoDnsLabels(String hostname, String expected) {
    assertThat(Names.dnsBase(hostname)).isEqualTo(expected);
    assertThat(Names.isDnsLabel(Names.dnsBase(hostname))).isTrue();
  }

  @org.junit.jupiter.api.Test
  void shouldLeaveRoomForASuffixOnLongHostnames() {
    String base = Names.dnsBase("x".repeat(100));
    assertThat(base).hasSize(56);
    assertThat(Names.isDnsLabel(base + "-9999")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tag:server", "tag:a", "tag:web-01"})
  void canAcceptTags(String tag) {
    assertThat(Names.isTag(tag)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "tag:", "tag:1web", "tag:web_01", "Tag:web", "tag:web 1"})
  void cannotAcceptMalformedTags(String tag) {
    assertThat(Names.isTag(tag)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "alice@example.com", "a.b-c_d+e", "42"})
  void canAcceptUserNames(String name) {
    assertThat(Names.isUserName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " alice", "al ice", "-alice", "alice\n"})
  void cannotAcceptMalformedUserNames(String name) {
    assertThat(Names.isUserName(name)).isFalse();
  }
}
