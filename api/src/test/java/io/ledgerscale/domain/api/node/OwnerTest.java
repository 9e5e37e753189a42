// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's owner, read from the two encodings already stored and written back unchanged. */
class OwnerTest {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  @Test
  void shouldReadEventsStoredBeforeThereWasAnOwnerType() throws Exception {
    // as the Jackson serializer stored them: a tagged node's user id is null
    NodeRegisteredEvent tagged =
        JSON.readValue(
            """
            {"nodeId":7,"machineKey":"mkey:7","nodeKey":"nodekey:7","hostname":"web",
             "givenName":"web","userId":null,"tags":["tag:web"],"ipv4":"100.64.0.7",
             "ipv6":null,"registerMethod":"AUTH_KEY","preAuthKeyId":3,"ephemeral":false,
             "expiry":null}
            """,
            NodeRegisteredEvent.class);
    NodeOwnerReassignedEvent reassigned =
        JSON.readValue(
            "{\"nodeId\":7,\"oldUserId\":2,\"newUserId\":null}", NodeOwnerReassignedEvent.class);

    assertThat(tagged.owner()).isEqualTo(Owner.TAGGED);
    assertThat(reassigned.oldOwner()).isEqualTo(Owner.user(2));
    assertThat(reassigned.newOwner().isTagged()).isTrue();
  }

  @Test
  void shouldNotChangeTheStoredShapeOfAnEvent() throws Exception {
    String written = JSON.writeValueAsString(new NodeOwnerReassignedEvent(7, 2L, null));

    assertThat(written).isEqualTo("{\"nodeId\":7,\"oldUserId\":2,\"newUserId\":null}");
  }

  @Test
  void shouldShowATaggedNodeAsHeadscaleDoes() {
    NodeView view =
        new NodeView(
            7,
            "mkey:7",
            "nodekey:7",
            null,
            List.of(),
            "web",
            "web",
            TaggedDevices.USER_ID,
            null,
            List.of("tag:web"),
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            List.of(),
            List.of());

    assertThat(view.owner()).isEqualTo(Owner.TAGGED);
    assertThat(Owner.TAGGED.shownId()).isEqualTo(TaggedDevices.USER_ID);
    assertThat(Owner.TAGGED.shownName("ignored")).isEqualTo(TaggedDevices.USER_NAME);
    assertThat(Owner.TAGGED.eventUserId()).isNull();
    assertThat(Owner.ofShownId(4)).isEqualTo(Owner.user(4));
    assertThat(Owner.user(4).shownName("alice")).isEqualTo("alice");
    assertThat(Owner.user(4).eventUserId()).isEqualTo(4L);
    assertThat(Owner.ofEvent(TaggedDevices.USER_ID)).isEqualTo(Owner.TAGGED);
    assertThatThrownBy(() -> Owner.user(TaggedDevices.USER_ID))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
