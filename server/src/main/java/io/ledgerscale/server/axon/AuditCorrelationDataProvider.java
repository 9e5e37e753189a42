// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * What every message produced while handling another inherits: the audit keys (actor, origin,
 * source IP, correlation id) as the command carried them, the id of the handled message as {@code
 * causationId}, and the root message's id as {@code traceId}. One provider instead of Axon's
 * MessageOriginProvider plus a copying provider, because the two both write correlationId and which
 * one wins would depend on bean order.
 */
public class AuditCorrelationDataProvider implements CorrelationDataProvider {
  public static final String CAUSATION_ID = "causationId";
  public static final String TRACE_ID = "traceId";

  @Override
  public Map<String, ?> correlationDataFor(Message<?> message) {
    Map<String, Object> data = new HashMap<>();
    for (String key : AuditMetadata.KEYS) {
      Object value = message.getMetaData().get(key);
      if (value != null) {
        data.put(key, value);
      }
    }
    data.putIfAbsent(AuditMetadata.CORRELATION_ID, message.getIdentifier());
    data.put(CAUSATION_ID, message.getIdentifier());
    data.put(TRACE_ID, message.getMetaData().getOrDefault(TRACE_ID, message.getIdentifier()));
    return data;
  }
}
