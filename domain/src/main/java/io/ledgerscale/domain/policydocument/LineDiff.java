// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in unified style (" " kept, "-" removed, "+" added; runs of kept lines further than
 * three lines from a change collapse into "@@ ... @@"), so the audit trail shows what a policy
 * change did.
 */
public final class LineDiff {
  private static final int CONTEXT = 3;

  private LineDiff() {}

  /** The diff from {@code before} to {@code after}; empty when they are equal. */
  public static String between(String before, String after) {
    String[] a = lines(before);
    String[] b = lines(after);
    // longest common subsequence table, from the end
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] =
            a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        ops.add(" " + a[i++]);
        j++;
      } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add("-" + a[i++]);
      } else {
        ops.add("+" + b[j++]);
      }
    }
    return collapse(ops);
  }

  private static String collapse(List<String> ops) {
    boolean[] keep = new boolean[ops.size()];
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).charAt(0) != ' ') {
        for (int c = Math.max(0, k - CONTEXT); c <= Math.min(ops.size() - 1, k + CONTEXT); c++) {
          keep[c] = true;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    if (ops.stream().allMatch(op -> op.charAt(0) == ' ')) {
      return "";
    }
    boolean skipping = false;
    for (int k = 0; k < ops.size(); k++) {
      if (keep[k]) {
        out.append(ops.get(k)).append('\n');
        skipping = false;
      } else if (!skipping) {
        out.append("@@ ... @@\n");
        skipping = true;
      }
    }
    return out.toString();
  }

  private static String[] lines(String text) {
    return text == null || text.isEmpty() ? new String[0] : text.split("\r?\n");
  }
}
