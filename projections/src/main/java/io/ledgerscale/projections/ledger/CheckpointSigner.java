// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.ledger;

import io.ledgerscale.domain.ledger.Checkpoint;
import io.ledgerscale.domain.ledger.CompactRange;
import io.ledgerscale.domain.ledger.NoteSigner;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signs C2SP checkpoints of the ledger's tree with this instance's key: the tree is the one table
 * every instance shares, so each instance's checkpoints are of one history. The root comes from the
 * stored right edge, never from leaves an attacker could have swapped under it since the follower
 * appended them; and a size already signed is not signed again.
 */
public class CheckpointSigner {
  private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

  private final JdbcTemplate jdbc;
  private final NoteSigner signer;
  private final Clock clock;

  /** A stored checkpoint. */
  public record Signed(long size, byte[] root, String note, Instant signedAt) {}

  public CheckpointSigner(JdbcTemplate jdbc, NoteSigner signer, Clock clock) {
    this.jdbc = jdbc;
    this.signer = signer;
    this.clock = clock;
  }

  public NoteSigner signer() {
    return signer;
  }

  /** Signs the tree as it is now, unless this key signed that size already; answers the latest. */
  public synchronized Signed sign() {
    CompactRange head =
        jdbc.queryForObject(
            "SELECT tree_size, frontier FROM audit_ledger_head WHERE id = 1",
            (rs, n) -> CompactRange.decode(rs.getLong(1), rs.getBytes(2)));
    Signed latest = latest();
    if (latest != null && latest.size() >= head.size()) {
      return latest;
    }
    Checkpoint checkpoint = new Checkpoint(signer.name(), head.size(), head.root());
    String note = signer.sign(checkpoint.body());
    Instant now = clock.instant();
    jdbc.update(
        "INSERT INTO audit_checkpoint (tree_size, key_hash, key_name, root_hash, note, signed_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        checkpoint.size(),
        signer.verifier().keyHashHex(),
        signer.name(),
        checkpoint.root(),
        note,
        Timestamp.from(now));
    log.debug("Audit ledger: signed the checkpoint of tree size {}", checkpoint.size());
    return latest();
  }

  /** The newest checkpoint this key signed, or null. */
  public Signed latest() {
    return jdbc
        .query(
            "SELECT tree_size, root_hash, note, signed_at FROM audit_checkpoint WHERE key_hash = ?"
                + " ORDER BY tree_size DESC LIMIT 1",
            (rs, n) ->
                new Signed(
                    rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
            signer.verifier().keyHashHex())
        .stream()
        .findFirst()
        .orElse(null);
  }
}
