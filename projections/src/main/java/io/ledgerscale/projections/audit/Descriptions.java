// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which description each event type gets. Each event family fills it in its own {@code
 * <Family>Descriptions.register}; {@link AuditDescriber} lists the families. Events are records
 * (final), so looking a payload up by its exact class is the same as the instanceof test it
 * replaces.
 */
final class Descriptions {
  private final Map<Class<?>, Function<Object, AuditDescription>> byType = new HashMap<>();

  /** Describes events of {@code type} with {@code describe}; a type described twice is a bug. */
  <E> void on(Class<E> type, Function<? super E, AuditDescription> describe) {
    if (byType.putIfAbsent(type, payload -> describe.apply(type.cast(payload))) != null) {
      throw new IllegalStateException(type.getName() + " is described twice");
    }
  }

  /** The description, or null when no family describes this payload's type. */
  AuditDescription describe(Object payload) {
    Function<Object, AuditDescription> describe = byType.get(payload.getClass());
    return describe == null ? null : describe.apply(payload);
  }

  Set<Class<?>> types() {
    return Collections.unmodifiableSet(byType.keySet());
  }
}
