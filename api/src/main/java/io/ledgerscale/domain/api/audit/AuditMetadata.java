// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.axonframework.messaging.MetaData;

/**
 * Metadata keys every command carries and every event inherits (copied by a correlation data
 * provider), so that the audit trail can say who did what, through which channel, from where, and
 * which request it belonged to.
 */
public final class AuditMetadata {
  public static final String ACTOR_TYPE = "actorType";
  public static final String ACTOR_ID = "actorId";
  public static final String ACTOR_NAME = "actorName";
  public static final String ORIGIN = "origin";
  public static final String SOURCE_IP = "sourceIp";

  /** Axon's own key; set explicitly so one request's commands share it. */
  public static final String CORRELATION_ID = "correlationId";

  public static final String[] KEYS = {
    ACTOR_TYPE, ACTOR_ID, ACTOR_NAME, ORIGIN, SOURCE_IP, CORRELATION_ID
  };

  private AuditMetadata() {}

  public static MetaData of(Actor actor, Origin origin, String sourceIp, String correlationId) {
    Map<String, Object> m = new HashMap<>();
    m.put(ACTOR_TYPE, actor.type().name());
    m.put(ACTOR_ID, actor.id());
    m.put(ACTOR_NAME, actor.name());
    m.put(ORIGIN, origin.name());
    m.put(SOURCE_IP, sourceIp == null ? "" : sourceIp);
    m.put(CORRELATION_ID, correlationId == null ? UUID.randomUUID().toString() : correlationId);
    return MetaData.from(m);
  }

  public static MetaData system(Origin origin, String what) {
    return of(Actor.system(what), origin, "", null);
  }
}
