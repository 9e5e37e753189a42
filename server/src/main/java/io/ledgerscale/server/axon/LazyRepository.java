// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.axonframework.modelling.command.Repository;

/**
 * A Spring-injectable {@code Repository<A>} that finds Axon's repository for the aggregate on each call. The
 * external command handlers need repositories as constructor arguments, but Axon builds its repositories only
 * while its configuration starts, after those beans exist.
 */
final class LazyRepository {
  private LazyRepository() {}

  @SuppressWarnings("unchecked")
  static <A> Repository<A> of(Class<A> aggregateType, Supplier<Repository<A>> target) {
    return (Repository<A>)
        Proxy.newProxyInstance(
            LazyRepository.class.getClassLoader(),
            new Class<?>[] {Repository.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "toString":
                  if (method.getParameterCount() == 0) {
                    return "Repository<" + aggregateType.getSimpleName() + ">";
                  }
                  break;
                case "hashCode":
                  if (method.getParameterCount() == 0) {
                    return System.identityHashCode(proxy);
                  }
                  break;
                case "equals":
                  if (method.getParameterCount() == 1) {
                    return proxy == args[0];
                  }
                  break;
                default:
                  break;
              }
              try {
                return method.invoke(target.get(), args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
