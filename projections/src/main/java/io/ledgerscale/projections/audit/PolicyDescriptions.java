// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.policy.PolicyChangedEvent;

/** Policy changes, with the diff. */
final class PolicyDescriptions {
  private PolicyDescriptions() {}

  static void register(Descriptions d) {
    d.on(PolicyChangedEvent.class, PolicyDescriptions::policyChanged);
  }

  private static AuditDescription policyChanged(PolicyChangedEvent e) {
    return new AuditDescription(
        "policy",
        "policy",
        of("sha256", e.previousSha256()),
        of("version", e.version(), "sha256", e.sha256(), "diff", e.diff()),
        "changed policy to version " + e.version());
  }
}
