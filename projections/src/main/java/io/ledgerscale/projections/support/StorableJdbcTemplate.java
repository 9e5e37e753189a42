// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;

/**
 * The read side's JdbcTemplate: every String argument of a statement is made storable ({@link
 * Text#storable}) on its way to PostgreSQL, so no handler can forget it and no value an event
 * carries fails a write for its NUL characters. Queries get the same treatment, so a lookup by a
 * value with a NUL finds the row it was stored as.
 */
public class StorableJdbcTemplate extends JdbcTemplate {
  public StorableJdbcTemplate(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  protected PreparedStatementSetter newArgPreparedStatementSetter(Object[] args) {
    return super.newArgPreparedStatementSetter(storable(args));
  }

  @Override
  protected PreparedStatementSetter newArgTypePreparedStatementSetter(
      Object[] args, int[] argTypes) {
    return super.newArgTypePreparedStatementSetter(storable(args), argTypes);
  }

  private static Object[] storable(Object[] args) {
    if (args == null) {
      return null;
    }
    Object[] out = args;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof String s) {
        String clean = Text.storable(s);
        if (clean != s) {
          if (out == args) {
            out = args.clone();
          }
          out[i] = clean;
        }
      }
    }
    return out;
  }
}
