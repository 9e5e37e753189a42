// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** The tailnet can be snapshotted with the Jackson serializer and keeps its indexes. */
class TailnetSnapshotTest {

  @Test
  void shouldKeepItsIndexesThroughASnapshotRoundTrip() {
    JacksonSerializer serializer =
        JacksonSerializer.builder().objectMapper(new ObjectMapper()).build();
    EmbeddedEventStore store =
        EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    GenericAggregateFactory<Tailnet> factory = new GenericAggregateFactory<>(Tailnet.class);
    List<Object> events =
        List.of(
            new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48"),
            new UserReservedEvent(1, "alice"),
            new NodeReservedEvent(1, "mkey:a", "laptop", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
            new NodeReservedEvent(2, "mkey:b", "web", null, "100.64.0.2", "fd7a:115c:a1e0::2"));
    long seq = 0;
    List<GenericDomainEventMessage<Object>> messages = new ArrayList<>();
    for (Object event : events) {
      messages.add(new GenericDomainEventMessage<>("Tailnet", AggregateIds.TAILNET, seq++, event));
    }
    AggregateSnapshotter snapshotter =
        AggregateSnapshotter.builder().eventStore(store).aggregateFactories(factory).build();

    store.publish(messages);
    snapshotter.scheduleSnapshot(Tailnet.class, AggregateIds.TAILNET);
    DomainEventMessage<?> snapshot = store.readEvents(AggregateIds.TAILNET).next();
    assertThat(snapshot.getPayload()).isInstanceOf(Tailnet.class);
    SerializedObject<byte[]> stored = serializer.serialize(snapshot.getPayload(), byte[].class);
    Tailnet restored = serializer.deserialize(stored);

    assertThat(new String(stored.getData()))
        .contains("\"lastNodeId\":2")
        .doesNotContain("nodeByMachineKey");
    assertThat(restored.userIdByName("alice")).contains(1L);
    assertThat(restored.nodeByMachineKey("mkey:b")).contains(2L);
    assertThat(restored.ownerOf(1)).isEqualTo(1L);
    assertThat(restored.ownerOf(2)).isNull();
  }
}
