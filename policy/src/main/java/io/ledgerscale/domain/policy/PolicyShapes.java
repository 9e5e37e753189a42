// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The shape checks every policy section parser shares: objects, arrays, strings, known fields. */
final class PolicyShapes {
  private PolicyShapes() {}

  /** An array that may be missing or null (then empty). */
  static List<HuJson.Value> optionalArray(HuJson.Value v, String what) {
    return v == null || v instanceof HuJson.Null ? List.of() : array(v, what);
  }

  static Alias alias(String s, HuJson.Value at) {
    try {
      return Alias.parse(s);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(reasonOf(e), at);
    }
  }

  static void allowOnly(HuJson.Obj obj, String where, String... keys) {
    Set<String> allowed = new HashSet<>(List.of(keys));
    for (HuJson.Member m : obj.members().values()) {
      if (!allowed.contains(m.key())) {
        throw new PolicyException(
            where + ": unknown field \"" + m.key() + "\"", m.line(), m.column());
      }
    }
  }

  static HuJson.Value required(HuJson.Obj obj, String key, String where) {
    HuJson.Value v = obj.get(key);
    if (v == null) {
      throw new PolicyException(where + ": \"" + key + "\" is required", obj);
    }
    return v;
  }

  static HuJson.Obj object(HuJson.Value v, String where) {
    if (v instanceof HuJson.Obj o) {
      return o;
    }
    throw PolicyException.structure(where + " must be an object, not " + v.kind(), v);
  }

  static List<HuJson.Value> array(HuJson.Value v, String where) {
    if (v instanceof HuJson.Arr a) {
      return a.items();
    }
    if (v instanceof HuJson.Null) {
      return List.of();
    }
    throw PolicyException.structure(where + " must be an array, not " + v.kind(), v);
  }

  static String string(HuJson.Value v, String where) {
    if (v instanceof HuJson.Str s) {
      return s.value();
    }
    throw PolicyException.structure(where + " must be a string, not " + v.kind(), v);
  }

  static String reasonOf(IllegalArgumentException e) {
    return e instanceof PolicyException pe ? pe.reason() : e.getMessage();
  }
}
