// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.progress;

import io.ledgerscale.domain.api.query.CheckTailnetReadModelsQuery;
import io.ledgerscale.projections.node.NodeProjection;
import io.ledgerscale.projections.policy.PolicyProjection;
import io.ledgerscale.projections.user.UserProjection;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers whether the tailnet read models have processed an event, from the tokens in Axon's token
 * table. A streaming processor stores its token in the same transaction as the rows it projected,
 * so a token that covers the event's index means those rows are visible; the table is shared, so
 * the answer holds whichever instance projected the event. Only processors that handle the event's
 * type are asked, because a processor stores the token of events it has no handler for only every
 * few seconds. Where this instance processes a read model's whole stream, its processor's status
 * answers without the table ({@link ProcessedHere}): the map asks every few milliseconds while it
 * waits for each change, and in a registration burst those reads were a share of the server's work.
 */
@Component
public class TailnetReadModelProgress {
  private static final List<Class<?>> TAILNET_READ_MODELS =
      List.of(NodeProjection.class, UserProjection.class, PolicyProjection.class);

  private final JdbcTemplate jdbc;
  private final Serializer serializer;
  private final ProcessedHere here;
  private final Map<String, String[]> processorsByType = new ConcurrentHashMap<>();

  public TailnetReadModelProgress(JdbcTemplate jdbc, Serializer serializer, ProcessedHere here) {
    this.jdbc = jdbc;
    this.serializer = serializer;
    this.here = here;
  }

  @QueryHandler
  public Boolean handle(CheckTailnetReadModelsQuery query) {
    String[] processors =
        processorsByType.computeIfAbsent(query.eventType(), TailnetReadModelProgress::handlersOf);
    if (processors.length == 0) {
      return true;
    }
    Boolean answered = answerHere(processors, query.globalIndex());
    if (answered != null) {
      return answered;
    }
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT processorname, token, tokentype FROM tokenentry WHERE processorname = ANY (?)",
            (Object) processors);
    for (String processor : processors) {
      boolean covered = false;
      boolean seen = false;
      for (Map<String, Object> row : rows) {
        if (processor.equals(row.get("processorname"))) {
          seen = true;
          covered =
              covers((byte[]) row.get("token"), (String) row.get("tokentype"), query.globalIndex());
          if (!covered) {
            break;
          }
        }
      }
      if (!seen || !covered) {
        return false;
      }
    }
    return true;
  }

  /**
   * The answer from the processors' status in this instance, or null when one of them is not
   * processed (wholly) here.
   */
  private Boolean answerHere(String[] processors, long index) {
    boolean covered = true;
    for (String processor : processors) {
      Optional<TrackingToken> token = here.committed(processor);
      if (token.isEmpty()) {
        return null;
      }
      covered &= covers(token.get(), index);
    }
    return covered;
  }

  private boolean covers(byte[] token, String type, long index) {
    if (token == null || type == null) {
      return false;
    }
    return covers(
        serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null)),
        index);
  }

  private static boolean covers(TrackingToken t, long index) {
    // during a replay the read model is being rebuilt: it covers the index once the replay itself
    // has passed it
    TrackingToken lower = WrappedToken.unwrapLowerBound(t);
    if (lower == null || lower.position().orElse(-1) < index) {
      return false;
    }
    return !(lower instanceof GapAwareTrackingToken g) || !g.getGaps().contains(index);
  }

  /**
   * The processing groups (= processor names) of the tailnet read models with a handler for the
   * type.
   */
  static String[] handlersOf(String eventType) {
    Class<?> type;
    try {
      type = Class.forName(eventType, false, TailnetReadModelProgress.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return new String[0];
    }
    List<String> out = new ArrayList<>();
    for (Class<?> model : TAILNET_READ_MODELS) {
      for (Method m : model.getMethods()) {
        if (m.isAnnotationPresent(EventHandler.class)
            && m.getParameterCount() > 0
            && m.getParameterTypes()[0].isAssignableFrom(type)) {
          out.add(model.getAnnotation(ProcessingGroup.class).value());
          break;
        }
      }
    }
    return out.toArray(String[]::new);
  }
}
