// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's tailnet settings: its domains, owner and admins, as Tailscale's account has. */
class TailnetSettingsTest {
  private static final TailnetUser ODIN = new TailnetUser(1, "odin", "odin@example.com");
  private static final TailnetUser THOR = new TailnetUser(2, "thor", "thor@example.org");
  private static final TailnetUser FREYA = new TailnetUser(3, "freya", "freya@example.com");

  // 1: odin's laptop, 2: thor's, 3: freya's, 4: a server odin tagged
  private static final TailnetSnapshot NET =
      TailnetSnapshot.of(
          List.of(ODIN, THOR, FREYA),
          List.of(
              node(1, 1L, Set.of()),
              node(2, 2L, Set.of()),
              node(3, 3L, Set.of()),
              node(4, null, Set.of("tag:server"))));

  private static final TailnetSettings SETTINGS =
      new TailnetSettings(List.of("Example.com"), "odin@example.com", List.of("thor@example.org"));

  private static TailnetNode node(long id, Long user, Set<String> tags) {
    return new TailnetNode(
        id,
        "n" + id,
        IpAddress.parse("100.64.0." + id),
        new IpAddress(true, 0xfd7a115ca1e00000L, id),
        user,
        tags,
        List.of(),
        List.of());
  }

  private static String nodeAttrsFor(String target) {
    return """
        {"tagOwners": {"tag:server": ["odin@example.com"]},
         "nodeAttrs": [{"target": ["%s"], "attr": ["randomize-client-port"]}]}
        """
        .formatted(target);
  }

  private static String sshFrom(String src, String users) {
    return """
        {"tagOwners": {"tag:server": ["odin@example.com"]},
         "ssh": [{"action": "accept", "src": ["%s"], "dst": ["tag:server"], "users": ["%s"]}]}
        """
        .formatted(src, users);
  }

  @Test
  void shouldGiveAdminsAndTheOwnerTheirAutogroups() {
    CompiledPolicy admins =
        PolicyEngine.accept(nodeAttrsFor("autogroup:admin"), NET.withSettings(SETTINGS));
    assertThat(admins.nodeCapabilities(1)).containsKey("randomize-client-port");
    assertThat(admins.nodeCapabilities(2)).containsKey("randomize-client-port");
    assertThat(admins.nodeCapabilities(3)).doesNotContainKey("randomize-client-port");
    assertThat(admins.nodeCapabilities(4)).doesNotContainKey("randomize-client-port");

    CompiledPolicy owner =
        PolicyEngine.accept(nodeAttrsFor("autogroup:owner"), NET.withSettings(SETTINGS));
    assertThat(owner.nodeCapabilities(1)).containsKey("randomize-client-port");
    assertThat(owner.nodeCapabilities(2)).doesNotContainKey("randomize-client-port");
  }

  @Test
  void cannotNameAdminsOrTheOwnerTheServerWasNotTold() {
    assertThatThrownBy(() -> PolicyEngine.accept(nodeAttrsFor("autogroup:admin"), NET))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("\"autogroup:admin\" names nobody");
    TailnetSettings adminsOnly = new TailnetSettings(List.of(), "", List.of("thor@example.org"));
    assertThatThrownBy(
            () ->
                PolicyEngine.accept(nodeAttrsFor("autogroup:owner"), NET.withSettings(adminsOnly)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("\"autogroup:owner\" names nobody");
  }

  @Test
  void shouldAcceptOnlyTheTailnetsDomainsWhenTheyAreSet() {
    // without settings, a domain some user is in will do
    PolicyEngine.accept(sshFrom("user:*@example.org", "root"), NET);
    PolicyEngine.accept(sshFrom("autogroup:member", "localpart:*@example.org"), NET);

    TailnetSnapshot net = NET.withSettings(SETTINGS);
    PolicyEngine.accept(sshFrom("user:*@example.com", "root"), net);
    assertThatThrownBy(() -> PolicyEngine.accept(sshFrom("user:*@example.org", "root"), net))
        .hasMessageContaining(
            "[ssh] example.org is not associated with this Tailnet and cannot be used in"
                + " user:*@<domain> expressions");
    assertThatThrownBy(
            () -> PolicyEngine.accept(sshFrom("autogroup:member", "localpart:*@example.org"), net))
        .hasMessageContaining("example.org is not associated with this Tailnet");
  }
}
