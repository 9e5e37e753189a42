// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every string a parsed policy holds, found by walking its records, lists and maps. Used to decide
 * whether a user change can matter to a policy: a user token must be one of these strings (or the
 * part of one before a {@code :}), whatever section of the policy it sits in, including sections
 * added later.
 */
final class PolicyStrings {
  private PolicyStrings() {}

  static void collect(Object root, Set<String> out) {
    walk(root, out, new IdentityHashMap<>());
  }

  private static void walk(Object o, Set<String> out, Map<Object, Boolean> seen) {
    if (o == null || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
      return;
    }
    if (o instanceof CharSequence cs) {
      String s = cs.toString();
      out.add(s);
      for (int i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
        out.add(s.substring(0, i));
      }
      return;
    }
    if (seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      c.forEach(e -> walk(e, out, seen));
    } else if (o instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            walk(k, out, seen);
            walk(v, out, seen);
          });
    } else if (o instanceof Object[] a) {
      for (Object e : a) {
        walk(e, out, seen);
      }
    } else if (o.getClass().isRecord()) {
      for (RecordComponent rc : o.getClass().getRecordComponents()) {
        try {
          rc.getAccessor().setAccessible(true);
          walk(rc.getAccessor().invoke(o), out, seen);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read policy part " + rc.getName(), e);
        }
      }
    } else {
      // a value the policy keeps that is neither text nor a record (an address prefix, a JSON
      // value): its text form stands for it
      walk(o.toString(), out, seen);
    }
  }
}
