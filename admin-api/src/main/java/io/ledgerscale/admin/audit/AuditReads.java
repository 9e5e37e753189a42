// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.audit;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.domain.api.auditread.RecordAuditReadCommand;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The audit of the audit: every answered read of the trail (or of history rebuilt from it) is
 * recorded as one event with who asked, through what, from where, and the query. It is recorded
 * before the answer leaves: when it cannot be, the reader gets an error, not the records.
 */
public final class AuditReads {
  private final AdminGateway gateway;

  public AuditReads(AdminGateway gateway) {
    this.gateway = gateway;
  }

  public void record(String what, String query, long entries) {
    gateway.send(new RecordAuditReadCommand(UUID.randomUUID().toString(), what, query, entries));
  }

  /** The parameters the endpoint used, as {@code name=value} pairs; absent ones are left out. */
  public static String query(Object... namesAndValues) {
    StringJoiner q = new StringJoiner(" ");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object value = namesAndValues[i + 1];
      if (value != null) {
        q.add(namesAndValues[i] + "=" + value);
      }
    }
    String text = q.toString();
    // every value was bounded by the endpoint; this only keeps a future caller within the event's
    return text.length() > RecordAuditReadCommand.QUERY_MAX
        ? text.substring(0, RecordAuditReadCommand.QUERY_MAX)
        : text;
  }
}
