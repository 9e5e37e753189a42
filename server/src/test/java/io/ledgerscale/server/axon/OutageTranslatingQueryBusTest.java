// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;

/** A query the database outage failed reaches its caller as DatabaseUnavailableException. */
class OutageTranslatingQueryBusTest {
  @Test
  void shouldTranslateAConnectionLostWhenTheQueryCommits() {
    TransactionManager lostOnCommit =
        () ->
            new Transaction() {
              @Override
              public void commit() {
                throw new IllegalStateException(
                    "JDBC rollback failed", new SQLException("Connection is closed"));
              }

              @Override
              public void rollback() {}
            };
    QueryGateway gateway = gatewayWith(lostOnCommit, () -> "answer");

    assertThatThrownBy(() -> gateway.query("question", String.class).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DatabaseUnavailableException.class);
  }

  @Test
  void shouldTranslateAConnectionLostInTheHandler() {
    QueryGateway gateway =
        gatewayWith(
            NoTransactionManager.INSTANCE,
            () -> {
              throw new IllegalStateException(new SQLException("terminating connection", "57P01"));
            });

    assertThatThrownBy(() -> gateway.query("question", String.class).get())
        .hasCauseInstanceOf(DatabaseUnavailableException.class);
  }

  @Test
  void shouldLeaveAnswersAndOtherFailuresAsTheyAre() throws Exception {
    assertThat(
            gatewayWith(NoTransactionManager.INSTANCE, () -> "answer")
                .query("q", String.class)
                .get())
        .isEqualTo("answer");
    assertThatThrownBy(
            () ->
                gatewayWith(
                        NoTransactionManager.INSTANCE,
                        () -> {
                          throw new IllegalArgumentException("bad question");
                        })
                    .query("q", String.class)
                    .get())
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  private interface Answer {
    String get() throws Exception;
  }

  private static QueryGateway gatewayWith(TransactionManager transactions, Answer answer) {
    SimpleQueryBus bus =
        new OutageTranslatingQueryBus(SimpleQueryBus.builder().transactionManager(transactions));
    bus.subscribe(String.class.getName(), String.class, q -> answer.get());
    return DefaultQueryGateway.builder().queryBus(bus).build();
  }
}
