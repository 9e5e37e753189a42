// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.List;

/**
 * One {@code tests} entry, kept as written: a malformed test does not refuse the policy text, it
 * fails when the tests run (Tailscale answers "test(s) failed" for both).
 */
public record PolicyTest(
    String src,
    String proto,
    List<String> accept,
    List<String> deny,
    boolean wellFormed,
    int line,
    int column) {

  public PolicyTest {
    accept = List.copyOf(accept);
    deny = List.copyOf(deny);
  }
}
