// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.axonframework.messaging.MetaData;

/**
 * How the trail folds repeated identical refusals from one client (a client retrying a login the
 * server refuses sends the same request again and again): refusals with the same actor, origin,
 * source address, command, target, kind and reason within {@code window} of the entry's first one
 * become that entry, with a count, at most {@code maxPerEntry} to an entry. Every refused event
 * stays in the store; only the listing is shorter. A zero window folds nothing.
 */
public record RefusalFolding(Duration window, int maxPerEntry) {
  public static final RefusalFolding DEFAULT = new RefusalFolding(Duration.ofMinutes(10), 1000);

  public RefusalFolding {
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

  /** What makes two refusals the same; hashed, since a reason may be long. */
  static String key(CommandRefusedEvent e, MetaData m) {
    StringBuilder text = new StringBuilder();
    for (Object part :
        new Object[] {
          m.get(AuditMetadata.ACTOR_TYPE),
          m.get(AuditMetadata.ACTOR_ID),
          m.get(AuditMetadata.ORIGIN),
          m.get(AuditMetadata.SOURCE_IP),
          e.command(),
          e.targetType(),
          e.targetId(),
          e.kind(),
          e.reason()
        }) {
      String s = part == null ? "" : part.toString();
      text.append(s.length()).append(':').append(s).append('|');
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
}
