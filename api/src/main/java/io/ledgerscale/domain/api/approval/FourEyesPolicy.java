// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Duration;
import java.util.Set;

/**
 * Which changes need a second admin, and how long a request waits for one. Off for every action
 * unless configured ({@code audit_history.four_eyes}).
 */
public record FourEyesPolicy(Set<FourEyesAction> actions, Duration requestLifetime) {
  public static final FourEyesPolicy OFF = new FourEyesPolicy(Set.of(), Duration.ofHours(24));

  public FourEyesPolicy {
    actions = Set.copyOf(actions);
    if (requestLifetime == null || requestLifetime.isNegative() || requestLifetime.isZero()) {
      throw new IllegalArgumentException("a request's lifetime must be positive");
    }
  }

  public boolean requires(FourEyesAction action) {
    return actions.contains(action);
  }
}
