// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.AnnotatedMessageHandlingMember;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * Savepoints are for the projections' event handlers; an aggregate's event sourcing handlers run
 * for every event of every replay and get none.
 */
class SavepointPerEventHandlerTest {
  private final SavepointPerEventHandler enhancer =
      new SavepointPerEventHandler(
          new DefaultListableBeanFactory()
              .getBeanProvider(org.springframework.transaction.PlatformTransactionManager.class));

  static class Projection {
    @EventHandler
    void on(String event) {}
  }

  static class Aggregate {
    @EventSourcingHandler
    void on(String event) {}
  }

  @Test
  void wrapsAProjectionsEventHandler() throws Exception {
    MessageHandlingMember<Projection> member = member(Projection.class);
    assertThat(enhancer.wrapHandler(member)).isNotSameAs(member);
  }

  @Test
  void leavesAnAggregatesEventSourcingHandlerAlone() throws Exception {
    MessageHandlingMember<Aggregate> member = member(Aggregate.class);
    assertThat(enhancer.wrapHandler(member)).isSameAs(member);
  }

  private static <T> MessageHandlingMember<T> member(Class<T> type) throws Exception {
    return new AnnotatedMessageHandlingMember<>(
        type.getDeclaredMethod("on", String.class),
        EventMessage.class,
        String.class,
        ClasspathParameterResolverFactory.forClass(type));
  }
}
