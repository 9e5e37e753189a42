// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.auditread.AuditTrailReadEvent;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.axonframework.messaging.MetaData;

/**
 * How the trail folds repeats from one client: a client retrying a login the server refuses sends
 * the same request again and again, and an auditor's {@code audit follow} reads the trail every few
 * seconds. Identical refusals (same actor, origin, source address, command, target, kind and
 * reason), and identical reads of the trail (same actor, origin, address, kind and query), within
 * {@code window} of the entry's first one become that entry, with a count, at most {@code
 * maxPerEntry} to an entry. Every event stays in the store; only the listing is shorter. A zero
 * window folds nothing.
 */
public record RepeatFolding(Duration window, int maxPerEntry) {
  public static final RepeatFolding DEFAULT = new RepeatFolding(Duration.ofMinutes(10), 1000);

  public RepeatFolding {
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException("the refusal fold window must be zero or more");
    }
    if (maxPerEntry < 1) {
      throw new IllegalArgumentException("an entry counts at least one refusal");
    }
  }

  boolean enabled() {
    return !window.isZero();
  }

  /** What makes two events the same repeat, hashed (a reason may be long); null: never folded. */
  static String key(Object payload, MetaData m) {
    Object[] parts;
    if (payload instanceof CommandRefusedEvent e) {
      parts =
          new Object[] {"refused", e.command(), e.targetType(), e.targetId(), e.kind(), e.reason()};
    } else if (payload instanceof ForeignNodeKeyRefusedEvent e) {
      parts = new Object[] {"foreign-node-key", e.command(), e.nodeId(), e.reason()};
    } else if (payload instanceof AuditTrailReadEvent e) {
      parts = new Object[] {"read", e.what(), e.query()};
    } else {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (Object part :
        new Object[] {
          m.get(AuditMetadata.ACTOR_TYPE),
          m.get(AuditMetadata.ACTOR_ID),
          m.get(AuditMetadata.ORIGIN),
          m.get(AuditMetadata.SOURCE_IP)
        }) {
      append(text, part);
    }
    for (Object part : parts) {
      append(text, part);
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e2) {
      throw new IllegalStateException(e2);
    }
  }

  private static void append(StringBuilder text, Object part) {
    String s = part == null ? "" : part.toString();
    text.append(s.length()).append(':').append(s).append('|');
  }
}
