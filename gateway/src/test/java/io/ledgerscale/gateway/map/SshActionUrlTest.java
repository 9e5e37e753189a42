// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.compile.SshPolicy;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The holdAndDelegate URL: written from a compiled check rule and read back in one place. */
class SshActionUrlTest {

  @Test
  void shouldNameTheCheckUrlHttpsBehindPlainHttpSoTheClientFetchesItOverNoise() {
    SshActionUrl urls = new SshActionUrl(ServerUrl.parse("http://127.0.0.1:8080/"));

    assertThat(urls.template())
        .startsWith("https://127.0.0.1:8080/machine/ssh/action/from/$SRC_NODE_ID/to/$DST_NODE_ID?")
        .endsWith("?ssh_user=$SSH_USER&local_user=$LOCAL_USER");
  }

  @Test
  void shouldReadBackTheUrlItHandsOutWhileACheckRuns() {
    SshActionUrl urls = new SshActionUrl(ServerUrl.parse("https://ls.example.com"));
    SshActionUrl.Request asked = new SshActionUrl.Request(3, 4, "a b", "root", null);

    String url = urls.hold(asked, "lskey-sshcheck-abc");
    String path = url.substring("https://ls.example.com".length(), url.indexOf('?'));
    Map<String, String> params =
        Map.of("ssh_user", "a b", "local_user", "root", "check", "lskey-sshcheck-abc");

    assertThat(url)
        .isEqualTo(
            "https://ls.example.com/machine/ssh/action/from/3/to/4"
                + "?ssh_user=a+b&local_user=root&check=lskey-sshcheck-abc");
    assertThat(SshActionUrl.parse(path, params::get))
        .contains(new SshActionUrl.Request(3, 4, "a b", "root", "lskey-sshcheck-abc"));
    assertThat(SshActionUrl.parse("/machine/ssh/action/from/x/to/4", params::get)).isEmpty();
    assertThat(SshActionUrl.parse(path, Map.of("ssh_user", "a")::get)).isEqualTo(Optional.empty());
  }

  @Test
  void shouldPointACompiledCheckRuleHere() {
    TailnetSnapshot tailnet =
        TailnetSnapshot.of(
            List.of(new TailnetUser(1, "alice", "alice@example.com")),
            List.of(
                new TailnetNode(
                    3, "laptop", IpAddress.parse("100.64.0.3"), null, 1L, Set.of(), null, null)));
    SshPolicy compiled =
        PolicyEngine.compile(
                """
                {"acls": [],
                 "ssh": [{"action": "check", "src": ["autogroup:member"],
                          "dst": ["autogroup:self"], "users": ["autogroup:nonroot"]}]}
                """,
                tailnet)
            .sshPolicyFor(3);
    SshActionUrl urls = new SshActionUrl(ServerUrl.parse("https://ls.example.com"));

    assertThat(compiled.rules().get(0).action().holdAndDelegate()).isNull();
    assertThat(urls.onto(compiled).rules().get(0).action().holdAndDelegate())
        .isEqualTo(
            "https://ls.example.com/machine/ssh/action/from/$SRC_NODE_ID/to/$DST_NODE_ID"
                + "?ssh_user=$SSH_USER&local_user=$LOCAL_USER");
    assertThat(urls.onto(null)).isNull();
  }
}
