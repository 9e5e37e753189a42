// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import java.util.List;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;

/**
 * Which command metadata every event inherits. Register {@link #providers()} as the correlation
 * data providers of the command bus (Spring: one bean per provider) so the audit trail can read who
 * did what from each event.
 */
public final class AuditCorrelation {

  /** The metadata keys copied from a command onto the events it produces. */
  public static final List<String> KEYS = List.of(AuditMetadata.KEYS);

  private AuditCorrelation() {}

  /** Copies the audit keys ({@link AuditMetadata#KEYS}) that are present on the command. */
  public static CorrelationDataProvider provider() {
    return new SimpleCorrelationDataProvider(AuditMetadata.KEYS);
  }

  /**
   * The audit provider plus Axon's own origin provider (correlationId, traceId). The origin
   * provider keeps an explicit correlationId and falls back to the command's message id, so every
   * event has one.
   */
  public static List<CorrelationDataProvider> providers() {
    return List.of(new MessageOriginProvider(), provider());
  }
}
