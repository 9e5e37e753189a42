// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import io.ledgerscale.domain.api.tailnet.ConfigureAddressPrefixesCommand;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import io.ledgerscale.domain.support.Fixtures;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tailnet's allocation rules, driven directly on the aggregate. */
class TailnetTest {
  private static final TailnetStartedEvent STARTED =
      new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48");
  private static final Object COMMAND = "test";

  private AggregateTestFixture<Tailnet> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(Tailnet.class);
  }

  @Test
  void shouldHandOutTheFirstAddressesAndIdToTheFirstNode() {
    fixture
        .given(STARTED)
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:a", "laptop", 1L))
        .expectEvents(
            new NodeReservedEvent(1, "mkey:a", "laptop", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"));
  }

  @Test
  void shouldSuffixATakenGivenName() {
    fixture
        .given(
            STARTED,
            new NodeReservedEvent(1, "mkey:a", "laptop", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
            new NodeReservedEvent(2, "mkey:b", "laptop-1", 1L, "100.64.0.2", "fd7a:115c:a1e0::2"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:c", "LAPTOP", null))
        .expectEvents(
            new NodeReservedEvent(
                3, "mkey:c", "laptop-2", null, "100.64.0.3", "fd7a:115c:a1e0::3"));
  }

  @Test
  void shouldMakeHostnamesDnsSafe() {
    fixture
        .given(STARTED)
        .whenInvoking(
            "tailnet", t -> t.reserveNode(COMMAND, "mkey:a", "  Bob's MacBook Pro (2)! ", 1L))
        .expectEvents(
            new NodeReservedEvent(
                1, "mkey:a", "bob-s-macbook-pro-2", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"));
  }

  @Test
  void shouldNameANodeWithoutUsableHostname() {
    fixture
        .given(STARTED)
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:a", "---", 1L))
        .expectEvents(
            new NodeReservedEvent(1, "mkey:a", "node", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"));
  }

  @Test
  void shouldSkipTailscaleServiceAddresses() {
    fixture
        .given(
            STARTED,
            new NodeReservedEvent(1, "mkey:a", "a", 1L, "100.100.99.255", "fd7a:115c:a1e0::ffff"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:b", "b", 1L))
        .expectEvents(
            new NodeReservedEvent(2, "mkey:b", "b", 1L, "100.100.101.0", "fd7a:115c:a1e0::1:0"));
  }

  @Test
  void shouldHandOutAFreedAddressOnlyAfterTheRangeWraps() {
    fixture
        .given(
            STARTED,
            new NodeReservedEvent(1, "mkey:a", "a", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
            new NodeReservedEvent(2, "mkey:b", "b", 1L, "100.64.0.2", "fd7a:115c:a1e0::2"),
            new NodeReservedEvent(3, "mkey:c", "c", 1L, "100.127.255.254", "fd7a:115c:a1e0::3"),
            new NodeReleasedEvent(1, "mkey:a", "a", "100.64.0.1", "fd7a:115c:a1e0::1"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:d", "a", 1L))
        .expectEvents(
            new NodeReservedEvent(4, "mkey:d", "a", 1L, "100.64.0.1", "fd7a:115c:a1e0::4"));
  }

  @Test
  void shouldNeverHandOutAHeldAddressWhenWrapping() {
    fixture
        .given(
            STARTED,
            new NodeReservedEvent(1, "mkey:a", "a", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
            new NodeReservedEvent(2, "mkey:b", "b", 1L, "100.64.0.2", "fd7a:115c:a1e0::2"),
            new NodeReservedEvent(3, "mkey:c", "c", 1L, "100.127.255.254", "fd7a:115c:a1e0::3"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:d", "d", 1L))
        .expectEvents(
            new NodeReservedEvent(4, "mkey:d", "d", 1L, "100.64.0.3", "fd7a:115c:a1e0::4"));
  }

  @Test
  void shouldAllocateUserIdsInOrderAndNeverReuseThem() {
    fixture
        .given(
            STARTED,
            new UserReservedEvent(1, "alice"),
            new UserReservedEvent(2, "bob"),
            new io.ledgerscale.domain.api.tailnet.UserReleasedEvent(2, "bob"))
        .whenInvoking("tailnet", t -> t.reserveUser(COMMAND, "bob"))
        .expectEvents(new UserReservedEvent(3, "bob"));
  }

  @Test
  void shouldHandOutAddressesFromTheConfiguredPrefixes() {
    fixture
        .given(
            STARTED,
            new NodeReservedEvent(1, "mkey:a", "a", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
            new AddressPrefixesConfiguredEvent(
                "100.96.8.0/24", "fd7a:115c:a1e0:8::/64", "sequential"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:b", "b", 1L))
        // IPv6 addresses are held by their low 64 bits, so ::1 of the old prefix keeps :8::1 free
        // of use too
        .expectEvents(
            new NodeReservedEvent(2, "mkey:b", "b", 1L, "100.96.8.1", "fd7a:115c:a1e0:8::2"));
  }

  @Test
  void shouldRecordNewPrefixesOnce() {
    ConfigureAddressPrefixesCommand command =
        new ConfigureAddressPrefixesCommand("100.96.8.0/24", "fd7a:115c:a1e0::/48", "Sequential");
    fixture
        .given(STARTED)
        .whenInvoking(
            "tailnet",
            t ->
                t.configureAddresses(
                    command, command.ipv4Prefix(), command.ipv6Prefix(), command.allocation()))
        .expectEvents(
            new AddressPrefixesConfiguredEvent(
                "100.96.8.0/24", "fd7a:115c:a1e0::/48", "sequential"));
    fixture
        .given(
            STARTED,
            new AddressPrefixesConfiguredEvent(
                "100.96.8.0/24", "fd7a:115c:a1e0::/48", "sequential"))
        .whenInvoking(
            "tailnet",
            t ->
                t.configureAddresses(
                    command, command.ipv4Prefix(), command.ipv6Prefix(), command.allocation()))
        .expectNoEvents();
  }

  @Test
  void shouldNotRecordTheDefaultsAsAChange() {
    fixture
        .given(STARTED)
        .whenInvoking(
            "tailnet",
            t -> t.configureAddresses(COMMAND, "100.64.0.0/10", "fd7a:115c:a1e0::/48", ""))
        .expectNoEvents();
  }

  @Test
  void cannotConfigureAPrefixOutsideTailscalesRange() {
    ConfigureAddressPrefixesCommand command =
        new ConfigureAddressPrefixesCommand("192.168.0.0/16", "fd7a:115c:a1e0::/48", "sequential");
    fixture
        .given(STARTED)
        .whenInvoking(
            "tailnet",
            t ->
                t.configureAddresses(
                    command, command.ipv4Prefix(), command.ipv6Prefix(), command.allocation()))
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage(
            "prefixes.v4: 192.168.0.0/16 is not inside Tailscale's 100.64.0.0/10; Tailscale"
                + " clients only use addresses from that range")
        .expectEvents(
            new CommandRefusedEvent(
                "ConfigureAddressPrefixesCommand",
                "Tailnet",
                "tailnet",
                RefusalKind.INVALID,
                "prefixes.v4: 192.168.0.0/16 is not inside Tailscale's 100.64.0.0/10; Tailscale clients only use"
                    + " addresses from that range"));
  }

  @Test
  void cannotHandOutAnAddressWhenThePrefixIsFull() {
    fixture
        .given(
            STARTED,
            new AddressPrefixesConfiguredEvent(
                "100.96.8.0/30", "fd7a:115c:a1e0::/48", "sequential"),
            new NodeReservedEvent(1, "mkey:a", "a", 1L, "100.96.8.1", "fd7a:115c:a1e0::1"),
            new NodeReservedEvent(2, "mkey:b", "b", 1L, "100.96.8.2", "fd7a:115c:a1e0::2"))
        .whenInvoking("tailnet", t -> t.reserveNode(COMMAND, "mkey:c", "c", 1L))
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage("no free address left in 100.96.8.0/30");
  }
}
