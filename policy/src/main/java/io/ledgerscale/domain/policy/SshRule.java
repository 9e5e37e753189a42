// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.List;

/** One {@code ssh} entry. {@code action} is {@code accept} or {@code check}. */
public record SshRule(
    String action,
    List<Alias> sources,
    List<Alias> destinations,
    List<String> users,
    String checkPeriod,
    List<String> acceptEnv) {

  public SshRule {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    users = List.copyOf(users);
    acceptEnv = List.copyOf(acceptEnv);
  }
}
