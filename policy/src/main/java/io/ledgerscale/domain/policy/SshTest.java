// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.List;

/**
 * One {@code sshTests} entry: from {@code src}, which local users each {@code dst} host lets in
 * over Tailscale SSH. {@code accept} users must get in (by an accept or a check rule), {@code
 * check} users must get in through a check rule, {@code deny} users must not get in. The shape is
 * checked when the policy is parsed; the outcome when the tests run against the tailnet.
 */
public record SshTest(
    String src,
    List<String> dst,
    List<String> accept,
    List<String> check,
    List<String> deny,
    int line,
    int column) {

  public SshTest {
    dst = List.copyOf(dst);
    accept = List.copyOf(accept);
    check = List.copyOf(check);
    deny = List.copyOf(deny);
  }
}
