// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small ordered maps for audit values; unlike Map.of they keep nulls, because "was unset" is a
 * value worth showing.
 */
final class Values {
  private Values() {}

  static Map<String, Object> none() {
    return Map.of();
  }

  static Map<String, Object> of(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A numeric id as the trail's target id. */
  static String id(long id) {
    return Long.toString(id);
  }
}
