// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs every event handler behind a savepoint of the processor's transaction. A statement that
 * PostgreSQL refuses aborts the whole transaction ("current transaction is aborted"), and with it
 * the dead-letter insert and the token update that must follow in that same transaction; rolling
 * back to the savepoint undoes only the failed handler, so the event can be dead-lettered and the
 * batch committed.
 *
 * <p>An aggregate's event sourcing handlers are left alone: they only set fields, run for every
 * event each time a stream is replayed (inside a command's transaction), and a savepoint there
 * would cost two database round trips per replayed event for nothing to roll back.
 */
public final class SavepointPerEventHandler implements HandlerEnhancerDefinition {
  private static final TransactionDefinition NESTED =
      new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);

  private final ObjectProvider<PlatformTransactionManager> transactions;
  // resolved on first use, not per event: a bean factory lookup was 2 % of a registration burst
  private volatile PlatformTransactionManager manager;

  public SavepointPerEventHandler(ObjectProvider<PlatformTransactionManager> transactions) {
    this.transactions = transactions;
  }

  private PlatformTransactionManager manager() {
    PlatformTransactionManager m = manager;
    if (m == null) {
      m = transactions.getIfAvailable();
      manager = m;
    }
    return m;
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    // @EventSourcingHandler is itself an @EventHandler
    if (!original.hasAnnotation(EventHandler.class)
        || original.hasAnnotation(EventSourcingHandler.class)) {
      return original;
    }
    return new WrappedMessageHandlingMember<>(original) {
      @Override
      public Object handle(Message<?> message, T target) throws Exception {
        PlatformTransactionManager manager = manager();
        if (manager == null || !TransactionSynchronizationManager.isActualTransactionActive()) {
          return super.handle(message, target);
        }
        TransactionStatus savepoint = manager.getTransaction(NESTED);
        Object result;
        try {
          result = super.handle(message, target);
        } catch (Exception | Error e) {
          manager.rollback(savepoint);
          throw e;
        }
        manager.commit(savepoint);
        return result;
      }
    };
  }
}
