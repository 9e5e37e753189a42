// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.query.CheckTailnetReadModelsQuery;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackerStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class TailnetReadModelProgressTest {
  private final JdbcTemplate jdbc = ProjectionDatabase.fresh();
  private final Serializer serializer = JacksonSerializer.defaultSerializer();

  /** The processors' status in this instance: none runs here unless a test says so. */
  private final Map<String, Map<Integer, EventTrackerStatus>> statusHere = new HashMap<>();

  private final TailnetReadModelProgress progress =
      new TailnetReadModelProgress(
          jdbc, serializer, new ProcessedHere(name -> statusHere.getOrDefault(name, Map.of())));

  @Test
  void shouldAnswerYesOnceTheTokenOfTheReadModelThatHandlesTheEventCoversIt() {
    token("nodes", GapAwareTrackingToken.newInstance(10, new TreeSet<>()));

    assertThat(caughtUp(10, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(9, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(11, NodeRenamedEvent.class)).isFalse();
  }

  @Test
  void shouldAskOnlyTheReadModelsThatHandleTheEvent() {
    // the users read model does not handle tag changes, so its old token (stored only now and then)
    // does not count
    token("nodes", GapAwareTrackingToken.newInstance(10, new TreeSet<>()));
    token("users", GapAwareTrackingToken.newInstance(3, new TreeSet<>()));

    assertThat(caughtUp(10, NodeTagsChangedEvent.class)).isTrue();
    assertThat(caughtUp(10, UserRenamedEvent.class)).isFalse();
  }

  @Test
  void cannotCountAnEventInAGapAsProcessed() {
    SortedSet<Long> gaps = new TreeSet<>();
    gaps.add(7L);
    token("nodes", GapAwareTrackingToken.newInstance(10, gaps));

    assertThat(caughtUp(7, NodeRenamedEvent.class)).isFalse();
    assertThat(caughtUp(8, NodeRenamedEvent.class)).isTrue();
  }

  @Test
  void shouldCountAReplayOnlyAsFarAsItHasReplayed() {
    TrackingToken replay =
        ReplayToken.createReplayToken(
            GapAwareTrackingToken.newInstance(50, new TreeSet<>()),
            GapAwareTrackingToken.newInstance(20, new TreeSet<>()));
    token("nodes", replay);

    assertThat(caughtUp(20, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(30, NodeRenamedEvent.class)).isFalse();
  }

  @Test
  void cannotAnswerYesForAReadModelWithoutAToken() {
    assertThat(caughtUp(1, NodeRenamedEvent.class)).isFalse();
    assertThat(caughtUp(1, String.class)).as("no read model handles it").isTrue();
  }

  @Test
  void shouldAnswerFromTheStatusOfAProcessorThatProcessesTheWholeStreamHere() {
    // the table holds no token at all: the answer can only come from the status
    processedHere("nodes", Segment.ROOT_SEGMENT, GapAwareTrackingToken.newInstance(10, gaps(7L)));

    assertThat(caughtUp(10, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(11, NodeRenamedEvent.class)).isFalse();
    assertThat(caughtUp(7, NodeRenamedEvent.class)).as("in a gap").isFalse();
  }

  @Test
  void shouldCountAReplayHereOnlyAsFarAsItHasReplayed() {
    processedHere(
        "nodes",
        Segment.ROOT_SEGMENT,
        ReplayToken.createReplayToken(
            GapAwareTrackingToken.newInstance(50, new TreeSet<>()),
            GapAwareTrackingToken.newInstance(20, new TreeSet<>())));

    assertThat(caughtUp(20, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(30, NodeRenamedEvent.class)).isFalse();
  }

  @Test
  void shouldAskTheTableWhenOnlyPartOfTheStreamIsProcessedHere() {
    // segment 0 of two: the other half may be behind on another instance, as the table says
    Segment half = Segment.ROOT_SEGMENT.split()[0];
    processedHere("nodes", half, GapAwareTrackingToken.newInstance(10, new TreeSet<>()));
    token("nodes", GapAwareTrackingToken.newInstance(4, new TreeSet<>()));

    assertThat(caughtUp(4, NodeRenamedEvent.class)).isTrue();
    assertThat(caughtUp(10, NodeRenamedEvent.class)).isFalse();
  }

  @Test
  void shouldAskTheTableForAReadModelThatIsProcessedElsewhere() {
    // the nodes read model runs here; user renames are the users read model's, which does not
    processedHere("nodes", Segment.ROOT_SEGMENT, GapAwareTrackingToken.newInstance(10, gaps()));
    token("users", GapAwareTrackingToken.newInstance(3, gaps()));

    assertThat(caughtUp(3, UserRenamedEvent.class)).isTrue();
    assertThat(caughtUp(10, UserRenamedEvent.class)).isFalse();
  }

  private void processedHere(String processor, Segment segment, TrackingToken token) {
    statusHere.put(processor, Map.of(segment.getSegmentId(), new TrackerStatus(segment, token)));
  }

  private static SortedSet<Long> gaps(Long... indexes) {
    return new TreeSet<>(List.of(indexes));
  }

  private boolean caughtUp(long index, Class<?> type) {
    return progress.handle(new CheckTailnetReadModelsQuery(index, type.getName()));
  }

  private void token(String processor, TrackingToken token) {
    SerializedObject<byte[]> s = serializer.serialize(token, byte[].class);
    jdbc.update(
        "INSERT INTO tokenentry (processorname, segment, token, tokentype) VALUES (?, 0, ?, ?)",
        processor,
        s.getData(),
        s.getType().getName());
  }
}
