// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.gateway.map.NetworkMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What the live map's processor does with an event its handler failed on (ADR 0005): it never
 * stops, and never lets the map go stale. The event is logged, counted ({@code
 * ledgerscale.projections.skipped{group=network-map}}) and skipped, and the map falls back to what
 * the event would have triggered in the widest form: a deleted node is taken out through the map's
 * own deletion path (which reads the whole tailnet if that fails), anything else — an event that
 * cannot even be read included — makes the map read the whole tailnet again and re-evaluate every
 * stream.
 */
public final class NetworkMapSkips implements ListenerInvocationErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(NetworkMapSkips.class);

  private final ObjectProvider<NetworkMap> map;
  private final Counter skipped;

  public NetworkMapSkips(
      ObjectProvider<NetworkMap> map, ObjectProvider<MeterRegistry> registry, String group) {
    this.map = map;
    MeterRegistry meters = registry.getIfAvailable();
    this.skipped =
        meters == null
            ? null
            : Counter.builder("ledgerscale.projections.skipped")
                .description(
                    "events a processor without a dead-letter queue skipped after a failure")
                .tag("group", group)
                .register(meters);
  }

  @Override
  public void onError(Exception exception, EventMessage<?> event, EventMessageHandler handler) {
    if (skipped != null) {
      skipped.increment();
    }
    log.error(
        "live map: event {} ({}) failed, re-reading the whole tailnet instead: {}",
        event.getIdentifier(),
        event.getPayloadType().getName(),
        BoundedCause.bounded(String.valueOf(exception)));
    NetworkMap m = map.getIfAvailable();
    if (m == null) {
      return;
    }
    Object payload = null;
    try {
      payload = event.getPayload();
    } catch (RuntimeException unreadable) {
      // an event that cannot be read says nothing about what changed: read everything
    }
    if (payload instanceof NodeDeletedEvent deleted) {
      m.nodeDeleted(deleted.nodeId(), Instant.now());
    } else {
      m.changed(Instant.now());
    }
  }
}
