// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

/**
 * The Tailnet's snapshot keeps the shape it had while all its indexes were its own fields: stored
 * snapshots carry no revision, so a changed shape would load as an empty tailnet.
 */
class TailnetSnapshotFormatTest {
  /** A snapshot written by the Tailnet before its indexes moved into classes of their own. */
  private static final String BEFORE_THE_SPLIT =
      "{\"id\":\"tailnet\",\"lastUserId\":1,\"lastNodeId\":2,\"lastPreAuthKeyId\":1,"
          + "\"lastApiKeyId\":1,\"userIdsByName\":{\"alice\":1},\"userNamesById\":{\"1\":\"alice\"},"
          + "\"nodeIdsByName\":{\"web\":2,\"laptop\":1},"
          + "\"nodeNamesById\":{\"1\":\"laptop\",\"2\":\"web\"},"
          + "\"nodeIdsByMachineKey\":{\"mkey:b\":2,\"mkey:a\":1},\"nodeOwners\":{\"1\":1,\"2\":1},"
          + "\"heldIpv4\":[1,2],\"heldIpv6\":[1,2],\"lastIpv4\":2,\"lastIpv6\":2,"
          + "\"ipv4Prefix\":\"100.64.0.0/16\",\"ipv6Prefix\":\"fd7a:115c:a1e0::/64\","
          + "\"allocation\":\"sequential\",\"preAuthKeyIdsByPrefix\":{\"pfx1\":1},"
          + "\"apiKeyIdsByPrefix\":{\"apfx1\":1},\"apiKeyPrefixesById\":{\"1\":\"apfx1\"}}";

  /** The events that snapshot was taken after. */
  private static final List<Object> EVENTS =
      List.of(
          new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48"),
          new AddressPrefixesConfiguredEvent("100.64.0.0/16", "fd7a:115c:a1e0::/64", "sequential"),
          new UserReservedEvent(1, "alice"),
          new NodeReservedEvent(1, "mkey:a", "laptop", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"),
          new NodeReservedEvent(2, "mkey:b", "web", null, "100.64.0.2", "fd7a:115c:a1e0::2"),
          new NodeOwnerReassignedEvent(2, null, 1L),
          new PreAuthKeyReservedEvent(1, "pfx1"),
          new ApiKeyReservedEvent(1, "apfx1"));

  private final ObjectMapper json = new ObjectMapper();

  private static Tailnet snapshotOf(List<Object> events) {
    EmbeddedEventStore store =
        EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    long seq = 0;
    List<GenericDomainEventMessage<Object>> messages = new ArrayList<>();
    for (Object event : events) {
      messages.add(new GenericDomainEventMessage<>("Tailnet", AggregateIds.TAILNET, seq++, event));
    }
    store.publish(messages);
    AggregateSnapshotter.builder()
        .eventStore(store)
        .aggregateFactories(new GenericAggregateFactory<>(Tailnet.class))
        .build()
        .scheduleSnapshot(Tailnet.class, AggregateIds.TAILNET);
    return (Tailnet) store.readEvents(AggregateIds.TAILNET).next().getPayload();
  }

  @Test
  void shouldWriteTheSameSnapshotAsBeforeItsIndexesWereSplitOut() throws Exception {
    String now = json.writeValueAsString(snapshotOf(EVENTS));

    assertThat(json.readTree(now)).isEqualTo(json.readTree(BEFORE_THE_SPLIT));
  }

  @Test
  void shouldLoadASnapshotWrittenBeforeItsIndexesWereSplitOut() throws Exception {
    Tailnet restored = json.readValue(BEFORE_THE_SPLIT, Tailnet.class);

    assertThat(restored.userIdByName("alice")).contains(1L);
    assertThat(restored.userName(1)).contains("alice");
    assertThat(restored.nodeByMachineKey("mkey:a")).contains(1L);
    assertThat(restored.nodeIds()).containsExactly(1L, 2L);
    assertThat(restored.ownerOf(2)).isEqualTo(1L);
    assertThat(restored.preAuthKeyByPrefix("pfx1")).contains(1L);
    assertThat(restored.resolveApiKey(new Object(), null, "apfx1")).isEqualTo(1L);
    // the address plan and the held addresses came along: the next node gets the next pair
    assertThat(json.readTree(json.writeValueAsString(restored)))
        .isEqualTo(json.readTree(BEFORE_THE_SPLIT));
  }
}
