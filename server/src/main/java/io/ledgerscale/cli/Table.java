// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table in the layout of Headscale's (pterm): padded columns separated by " | ". */
public final class Table {
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(header);
  }

  public Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  public int size() {
    return rows.size() - 1;
  }

  public String render() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], cell(row, c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          line.append(" | ");
        }
        // padded by hand: String.format and a string concatenation's first use each cost a short
        // call more than the whole table
        String cell = cell(row, c);
        line.append(cell).append(" ".repeat(Math.max(1, widths[c]) - cell.length()));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String cell(String[] row, int column) {
    return column < row.length && row[column] != null ? row[column] : "";
  }
}
