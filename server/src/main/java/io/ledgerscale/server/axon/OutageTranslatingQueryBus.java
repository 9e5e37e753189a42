// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.server.db.DatabaseOutages;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.GenericQueryResponseMessage;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.queryhandling.QueryResponseMessage;
import org.axonframework.queryhandling.SimpleQueryBus;

/**
 * Axon's query bus, except that a query that failed because the database could not be reached
 * answers DatabaseUnavailableException, so the edges answer "busy, retry" without knowing JDBC. It
 * is done around the whole query, not in a handler interceptor: the transaction is opened before
 * the first interceptor runs and committed after the last has returned, and either can be what
 * meets the outage.
 */
final class OutageTranslatingQueryBus extends SimpleQueryBus {
  OutageTranslatingQueryBus(SimpleQueryBus.Builder builder) {
    super(builder);
  }

  @Override
  public <Q, R> CompletableFuture<QueryResponseMessage<R>> query(QueryMessage<Q, R> query) {
    CompletableFuture<QueryResponseMessage<R>> answer;
    try {
      answer = super.query(query);
    } catch (RuntimeException e) {
      Optional<DatabaseUnavailableException> down = DatabaseOutages.causing(e);
      if (down.isEmpty()) {
        throw e;
      }
      return CompletableFuture.completedFuture(failed(query, down.get()));
    }
    return answer.handle(
        (response, error) -> {
          Throwable failure =
              error != null
                  ? error
                  : response != null && response.isExceptional()
                      ? response.exceptionResult()
                      : null;
          Optional<DatabaseUnavailableException> down =
              failure == null ? Optional.empty() : DatabaseOutages.causing(failure);
          if (down.isPresent()) {
            return failed(query, down.get());
          }
          if (error != null) {
            return failed(query, error);
          }
          return response;
        });
  }

  private static <R> QueryResponseMessage<R> failed(QueryMessage<?, R> query, Throwable failure) {
    return GenericQueryResponseMessage.asResponseMessage(
        query.getResponseType().responseMessagePayloadType(), failure);
  }
}
