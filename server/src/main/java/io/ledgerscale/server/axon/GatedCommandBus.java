// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.ServerBusyException;
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
      super.handle(command, handler, callback);
    } finally {
      gate.leave();
    }
  }
}
