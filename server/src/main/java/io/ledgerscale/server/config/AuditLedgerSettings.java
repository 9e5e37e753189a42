// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ledgerscale.domain.api.ServerUrl;
import java.time.Duration;

/**
 * {@code audit_ledger.*}: the hash-chained, signed audit ledger (docs/audit-ledger.md).
 * Ledgerscale's own keys; Headscale has none of this.
 */
public class AuditLedgerSettings {
  /**
   * Follow the event store and sign checkpoints in the background. Off, the ledger is only brought
   * up to date when an export, proof or checkpoint is asked for.
   */
  public boolean enabled = true;

  /** The Ed25519 note key, created once (0600). Default: data_dir/audit_signing.key. */
  public String signingKeyPath;

  /**
   * The log's origin line and key name (C2SP: a schema-less URL); used when the key is created.
   * Default: the host of server_url followed by /audit.
   */
  public String origin = "";

  /** How often a checkpoint of the ledger is signed (when it grew). */
  public String checkpointInterval = "10m";

  /** How often the ledger looks for new events. */
  public String followInterval = "1s";

  /**
   * How long a missing global index (a transaction that took it and has not committed) holds the
   * ledger back before it is passed; a late commit is still appended when it appears.
   */
  public String gapTimeout = "60s";

  @JsonIgnore
  public Duration checkpointEvery() {
    return positive("audit_ledger.checkpoint_interval", checkpointInterval, Duration.ofSeconds(1));
  }

  @JsonIgnore
  public Duration followEvery() {
    return positive("audit_ledger.follow_interval", followInterval, Duration.ofMillis(10));
  }

  @JsonIgnore
  public Duration gapWait() {
    return positive("audit_ledger.gap_timeout", gapTimeout, Duration.ofSeconds(1));
  }

  /** The origin to name a new key with. */
  @JsonIgnore
  public String originFor(ServerUrl serverUrl) {
    if (origin != null && !origin.isBlank()) {
      return origin.strip();
    }
    return serverUrl.host() + "/audit";
  }

  void check() {
    checkpointEvery();
    followEvery();
    gapWait();
    if (origin != null
        && !origin.isBlank()
        && !origin.strip().matches("[\\x21-\\x7e&&[^+]]{1,255}")) {
      throw new ConfigException(
          "audit_ledger.origin: printable ASCII without spaces or '+', at most 255 characters");
    }
  }

  private static Duration positive(String key, String value, Duration min) {
    Duration d = GoDuration.parse(key, value);
    if (d == null || d.compareTo(min) < 0) {
      throw new ConfigException(key + ": must be a duration of at least " + min.toMillis() + "ms");
    }
    return d;
  }
}
