// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.domain.node.RouteAutoApprovalTrigger;
import io.ledgerscale.gateway.map.NetworkMapEvents;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One persistent dead-letter queue per processing group (Axon's JdbcSequencedDeadLetterQueue on the
 * table of migration V202612010031), so a handler that fails on an event sets that event (and the
 * later events of its aggregate, to keep their order) aside and the projection goes on; the token
 * moves past it, so a restart does not meet it again. The live map ({@value
 * NetworkMapEvents#GROUP}) has none: its token lives in memory and it recovers by reading
 * everything again ({@link NetworkMapSkips}, ADR 0005).
 */
public final class ProjectionDeadLetterQueues {
  /**
   * Far above anything an honest tailnet produces; the bound only keeps Axon from refusing an
   * enqueue (which would stop the projection) before an operator has looked.
   */
  static final int MAX_SEQUENCES = 1_000_000;

  static final int MAX_SEQUENCE_SIZE = 1_000_000;

  private static final Logger log = LoggerFactory.getLogger(ProjectionDeadLetterQueues.class);

  private ProjectionDeadLetterQueues() {}

  public static void register(
      EventProcessingConfigurer processing,
      ListableBeanFactory beans,
      ObjectProvider<ConnectionProvider> connections) {
    // one registration per group, not a provider: Axon's Spring Boot support installs a provider
    // of its own (for its axon.eventhandling.processors.*.dlq properties) that would replace ours
    Set<String> groups = groups(beans);
    log.info("dead-letter queues for the processing groups {}", groups);
    for (String group : groups) {
      processing
          .registerDeadLetterQueue(group, queue(group, connections))
          .registerDeadLetterPolicy(group, c -> new BoundedCause())
          // a replay handles every event again, the failed ones included: it starts from an
          // empty queue, as the views start from empty tables. The invoker remembers which of its
          // segment's aggregates have letters, instead of asking the table before every event (a
          // query per event and group: a twentieth of the server's work in a registration burst);
          // only the instance holding a segment sets its events aside, so what it remembers holds
          .registerDeadLetteringEventHandlerInvokerConfiguration(
              group, (c, builder) -> builder.allowReset(true).enableSequenceIdentifierCache());
    }
  }

  static Function<Configuration, SequencedDeadLetterQueue<EventMessage<?>>> queue(
      String group, ObjectProvider<ConnectionProvider> connections) {
    return c ->
        JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
            .processingGroup(group)
            .connectionProvider(connections.getObject())
            .transactionManager(c.getComponent(TransactionManager.class))
            .schema(DeadLetterSchema.defaultSchema())
            .genericSerializer(c.serializer())
            .eventSerializer(c.eventSerializer())
            .maxSequences(MAX_SEQUENCES)
            .maxSequenceSize(MAX_SEQUENCE_SIZE)
            .build();
  }

  /**
   * The processing groups of the handler beans, the live map's excepted, and route auto-approval,
   * which the domain registers with Axon directly rather than as a bean.
   */
  static Set<String> groups(ListableBeanFactory beans) {
    Set<String> groups = new TreeSet<>();
    groups.add(RouteAutoApprovalTrigger.PROCESSING_GROUP);
    for (String name : beans.getBeanNamesForAnnotation(ProcessingGroup.class)) {
      ProcessingGroup group = beans.findAnnotationOnBean(name, ProcessingGroup.class);
      if (group != null && !NetworkMapEvents.GROUP.equals(group.value())) {
        groups.add(group.value());
      }
    }
    return groups;
  }
}
