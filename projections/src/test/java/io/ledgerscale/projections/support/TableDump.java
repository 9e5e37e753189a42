// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every view table's rows as text, in key order, so two states of the read side can be compared
 * exactly.
 */
public final class TableDump {
  private static final Map<String, String> TABLES =
      Map.of(
          "user_view",
          "id",
          "node_view",
          "id",
          "pre_auth_key_view",
          "id",
          "api_key_view",
          "id",
          "registration_view",
          "auth_id",
          "policy_view",
          "id",
          "audit_entry",
          "global_index");

  private TableDump() {}

  public static Map<String, List<Map<String, Object>>> of(JdbcTemplate jdbc) {
    Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
    TABLES.keySet().stream()
        .sorted()
        .forEach(
            t ->
                dump.put(
                    t, jdbc.queryForList("SELECT * FROM " + t + " ORDER BY " + TABLES.get(t))));
    return dump;
  }
}
