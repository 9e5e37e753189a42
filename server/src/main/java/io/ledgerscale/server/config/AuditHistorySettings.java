// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.approval.FourEyesPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code audit_history.*}: how the audit trail is listed (docs/audit-history.md). The record itself
 * never changes with these settings; only how it reads.
 */
public class AuditHistorySettings {
  /**
   * Identical refusals from one client within this time of the first become one entry with a count;
   * 0 lists each on its own.
   */
  public String foldRepeatsWithin = "10m";

  /** The most refusals one entry counts; the next starts a new entry. */
  public int foldRepeatsMax = 1000;

  /** Changes that need a second admin (all off by default). */
  public FourEyes fourEyes = new FourEyes();

  /** {@code audit_history.four_eyes.*}. */
  public static class FourEyes {
    public boolean registrationApprovals;
    public boolean policyChanges;
    public boolean apiKeyCreation;
    public boolean tagChanges;
    public boolean ownershipChanges;

    /** How long a request waits for a decision. */
    public String requestLifetime = "24h";

    /** How often requests past their lifetime are recorded as expired. */
    public String expiryCheckInterval = "1m";
  }

  public Duration expiryCheckEvery() {
    Duration every =
        GoDuration.parse(
            "audit_history.four_eyes.expiry_check_interval", fourEyes.expiryCheckInterval);
    if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(
          "audit_history.four_eyes.expiry_check_interval: must be a duration of at least 1s");
    }
    return every;
  }

  FourEyesPolicy fourEyesPolicy() {
    Duration lifetime =
        GoDuration.parse("audit_history.four_eyes.request_lifetime", fourEyes.requestLifetime);
    if (lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
      throw new ConfigException(
          "audit_history.four_eyes.request_lifetime: must be a positive duration such as 24h");
    }
    Set<FourEyesAction> actions = EnumSet.noneOf(FourEyesAction.class);
    if (fourEyes.registrationApprovals) {
      actions.add(FourEyesAction.REGISTRATION_APPROVALS);
    }
    if (fourEyes.policyChanges) {
      actions.add(FourEyesAction.POLICY_CHANGES);
    }
    if (fourEyes.apiKeyCreation) {
      actions.add(FourEyesAction.API_KEY_CREATION);
    }
    if (fourEyes.tagChanges) {
      actions.add(FourEyesAction.TAG_CHANGES);
    }
    if (fourEyes.ownershipChanges) {
      actions.add(FourEyesAction.OWNERSHIP_CHANGES);
    }
    return new FourEyesPolicy(actions, lifetime);
  }

  /**
   * The window and cap for folding repeated refusals, checked. Plain values: the CLI reads this
   * configuration too, with none of the projections on its class path.
   */
  record Folding(Duration window, int max) {}

  Folding folding() {
    Duration window = GoDuration.parse("audit_history.fold_repeats_within", foldRepeatsWithin);
    if (window == null || window.isNegative()) {
      throw new ConfigException(
          "audit_history.fold_repeats_within: must be a duration such as 10m, or 0");
    }
    if (foldRepeatsMax < 1 || foldRepeatsMax > 100_000) {
      throw new ConfigException("audit_history.fold_repeats_max: must be between 1 and 100000");
    }
    return new Folding(window, foldRepeatsMax);
  }
}
