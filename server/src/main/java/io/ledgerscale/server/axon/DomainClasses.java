// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * Finds the domain's aggregates (classes with an {@code @AggregateIdentifier} field) and its external command
 * handlers (other classes with {@code @CommandHandler} methods). The domain module has no Spring, so nothing there
 * is annotated for component scanning; finding them here means a new aggregate or handler is wired without editing
 * the server.
 */
final class DomainClasses {
  static final String DOMAIN_PACKAGE = "io.ledgerscale.domain";

  private final List<Class<?>> aggregates = new ArrayList<>();
  private final List<Class<?>> commandHandlers = new ArrayList<>();

  private DomainClasses() {}

  static DomainClasses scan(ClassLoader classLoader) {
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter((reader, factory) -> !reader.getClassMetadata().getClassName()
        .startsWith(DOMAIN_PACKAGE + ".api."));
    DomainClasses found = new DomainClasses();
    for (BeanDefinition candidate : scanner.findCandidateComponents(DOMAIN_PACKAGE)) {
      Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader);
      if (hasAggregateIdentifier(type)) {
        found.aggregates.add(type);
      } else if (hasCommandHandler(type)) {
        found.commandHandlers.add(type);
      }
    }
    found.aggregates.sort(Comparator.comparing(Class::getName));
    found.commandHandlers.sort(Comparator.comparing(Class::getName));
    return found;
  }

  List<Class<?>> aggregates() {
    return aggregates;
  }

  List<Class<?>> commandHandlers() {
    return commandHandlers;
  }

  private static boolean hasAggregateIdentifier(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(AggregateIdentifier.class)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasCommandHandler(Class<?> type) {
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(CommandHandler.class)) {
        return true;
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (m.isAnnotationPresent(CommandHandler.class)) {
        return true;
      }
    }
    return false;
  }
}
