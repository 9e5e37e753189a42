// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.server.db.DatabaseOutages;
import java.util.Optional;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * A {@link SimpleCommandBus} whose commands pass a {@link CommandGate} before their unit of work
 * starts. A handler interceptor would be too late: the bus attaches the transaction (and takes the
 * connection) before the first interceptor runs. A command dispatched while another unit of work is
 * active on the same thread (a handler or an event processor sending a command) joins that unit's
 * transaction and connection, so it passes without a permit; making it wait for one its own caller
 * may be holding could only deadlock.
 */
public class GatedCommandBus extends SimpleCommandBus {
  private final CommandGate gate;

  public GatedCommandBus(SimpleCommandBus.Builder builder, CommandGate gate) {
    super(builder);
    this.gate = gate;
  }

  @Override
  protected <C, R> void handle(
      CommandMessage<C> command,
      MessageHandler<? super CommandMessage<?>> handler,
      CommandCallback<? super C, ? super R> callback) {
    if (CurrentUnitOfWork.isStarted()) {
      super.handle(command, handler, callback);
      return;
    }
    try {
      gate.enter(command.getCommandName());
    } catch (ServerBusyException busy) {
      callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(busy));
      return;
    }
    try {
      super.handle(command, handler, translatingOutages(callback));
    } catch (RuntimeException e) {
      // the unit of work takes its connection before any interceptor runs: that failure is here
      Optional<DatabaseUnavailableException> down = DatabaseOutages.causing(e);
      if (down.isEmpty()) {
        throw e;
      }
      callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(down.get()));
    } finally {
      gate.leave();
    }
  }

  /**
   * The callback, told "database unavailable" instead of the driver's or the pool's exception, so
   * the edges answer "busy, retry" without knowing JDBC.
   */
  private static <C, R> CommandCallback<C, R> translatingOutages(
      CommandCallback<? super C, ? super R> callback) {
    return (message, result) -> {
      if (result.isExceptional()) {
        Optional<DatabaseUnavailableException> down =
            DatabaseOutages.causing(result.exceptionResult());
        if (down.isPresent()) {
          callback.onResult(
              message, GenericCommandResultMessage.asCommandResultMessage(down.get()));
          return;
        }
      }
      callback.onResult(message, result);
    };
  }
}
