// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * The only way the admin API changes or reads anything: commands carry the caller's audit metadata,
 * queries answer from the projections.
 */
@Component
public class AdminGateway {
  private static final long QUERY_TIMEOUT_SECONDS = 30;
  // projections may be updated by tracking processors, a few milliseconds after the command
  // committed
  private static final Duration READ_YOUR_WRITE_WAIT = Duration.ofSeconds(5);

  private final CommandGateway commands;
  private final QueryGateway queries;
  private final AuditContext audit;

  public AdminGateway(CommandGateway commands, QueryGateway queries, AuditContext audit) {
    this.commands = commands;
    this.queries = queries;
    this.audit = audit;
  }

  public <R> R send(Object command) {
    return commands.sendAndWait(command, audit.metadata());
  }

  public <R> R query(Object query, Class<R> answer) {
    return await(queries.query(query, ResponseTypes.instanceOf(answer)));
  }

  public <R> List<R> queryList(Object query, Class<R> element) {
    List<R> answer = await(queries.query(query, ResponseTypes.multipleInstancesOf(element)));
    return answer == null ? List.of() : answer;
  }

  /**
   * Reads until the projection shows what a command just did, so an answer (and the caller's next
   * request) reflects the change. Gives up after a few seconds and returns the last read.
   */
  public <R> R readAfterWrite(Supplier<R> read, Predicate<R> visible) {
    long deadline = System.nanoTime() + READ_YOUR_WRITE_WAIT.toNanos();
    R value = read.get();
    while (!visible.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(15);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
      value = read.get();
    }
    return value;
  }

  private static <R> R await(CompletableFuture<R> future) {
    try {
      return future.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a query", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "a query took longer than " + QUERY_TIMEOUT_SECONDS + " s", e);
    }
  }
}
