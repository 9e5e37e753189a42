// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.auditread;

import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import java.util.Optional;
import java.util.Set;

/**
 * Someone read the audit trail (or the history built from it): one command per request, sent by the
 * endpoint that answered it, with the request's actor, origin, address and correlation id. {@code
 * what} names the kind of read, {@code query} its parameters as the endpoint understood them,
 * {@code entries} how many records the answer held.
 */
public record RecordAuditReadCommand(String readId, String what, String query, long entries) {
  public static final Set<String> KINDS =
      Set.of("list", "export", "prove", "verify", "diff", "nodes", "netmap", "approvals");

  public static final int QUERY_MAX = 2048;

  public Optional<BoundViolation> check() {
    if (what == null || !KINDS.contains(what)) {
      return Optional.of(new BoundViolation("what", "one of " + KINDS));
    }
    if (entries < 0) {
      return Optional.of(new BoundViolation("entries", "zero or more"));
    }
    return InputBounds.first(
        InputBounds.requiredText("readId", readId, InputBounds.ID_TEXT_MAX),
        InputBounds.text("query", query, QUERY_MAX));
  }
}
