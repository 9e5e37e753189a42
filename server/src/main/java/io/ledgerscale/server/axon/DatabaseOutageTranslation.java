// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.server.db.DatabaseOutages;
import java.util.Optional;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Turns a failure caused by an unreachable database into {@link
 * io.ledgerscale.domain.api.DatabaseUnavailableException}, so the edges answer "busy, retry"
 * without knowing anything of JDBC. Registered outside the transaction interceptor, so a connection
 * that cannot be had when the transaction starts is translated too.
 */
final class DatabaseOutageTranslation<T extends Message<?>>
    implements MessageHandlerInterceptor<T> {
  @Override
  public Object handle(UnitOfWork<? extends T> unitOfWork, InterceptorChain chain)
      throws Exception {
    try {
      return chain.proceed();
    } catch (Exception e) {
      Optional<? extends Exception> down = DatabaseOutages.causing(e);
      if (down.isPresent()) {
        throw down.get();
      }
      throw e;
    }
  }
}
