// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.progress;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How far a read model's processor has committed, when this instance is the one processing its
 * whole event stream: then the answer is in memory and the token table need not be read.
 *
 * <p>A processor's status advances to a token only after the batch up to it has committed, rows and
 * token together, and holds a segment only while this instance has claimed it. While the claim is
 * held here no other instance can process or reset that stream, so the status is what the table
 * holds (or, for a moment after a commit, a little behind it). Without the whole stream claimed
 * here — another instance has it, or the processor is not running — there is no answer, and the
 * table is asked.
 */
@Component
public class ProcessedHere {
  private final Function<String, Map<Integer, EventTrackerStatus>> statusOf;

  /** The processors' status in this instance, by processor name (empty if not running here). */
  public ProcessedHere(Function<String, Map<Integer, EventTrackerStatus>> statusOf) {
    this.statusOf = statusOf;
  }

  @Autowired
  public ProcessedHere(ObjectProvider<EventProcessingConfiguration> processing) {
    this(new StatusInThisInstance(processing));
  }

  /** The token committed up to, if this instance processes the processor's whole stream. */
  public Optional<TrackingToken> committed(String processor) {
    return ofWholeStream(statusOf.apply(processor));
  }

  /**
   * The token of the one segment that spans the whole stream (mask 0), if that is what is claimed
   * here; a stream split into segments may have some of them claimed elsewhere.
   */
  static Optional<TrackingToken> ofWholeStream(Map<Integer, EventTrackerStatus> status) {
    if (status.size() != 1) {
      return Optional.empty();
    }
    EventTrackerStatus only = status.values().iterator().next();
    if (only.getSegment().getMask() != 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(only.getTrackingToken());
  }

  private static final class StatusInThisInstance
      implements Function<String, Map<Integer, EventTrackerStatus>> {
    private final ObjectProvider<EventProcessingConfiguration> provider;
    // resolved on first use, not per question: a bean factory lookup costs more than the answer
    private volatile EventProcessingConfiguration processing;

    StatusInThisInstance(ObjectProvider<EventProcessingConfiguration> provider) {
      this.provider = provider;
    }

    @Override
    public Map<Integer, EventTrackerStatus> apply(String processor) {
      EventProcessingConfiguration config = processing;
      if (config == null) {
        config = provider.getIfAvailable();
        if (config == null) {
          return Map.of();
        }
        processing = config;
      }
      return config
          .eventProcessor(processor, PooledStreamingEventProcessor.class)
          .map(PooledStreamingEventProcessor::processingStatus)
          .orElse(Map.of());
    }
  }
}
