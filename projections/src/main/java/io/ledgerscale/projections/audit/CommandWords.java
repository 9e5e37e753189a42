// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import java.util.Locale;

/** A command's class name as an auditor reads it: {@code SetNodeTagsCommand} is "set node tags". */
final class CommandWords {
  private CommandWords() {}

  static String of(String command) {
    if (command == null || command.isBlank()) {
      return "do something";
    }
    String name =
        command.endsWith("Command") ? command.substring(0, command.length() - 7) : command;
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean wordStart =
          i > 0
              && Character.isUpperCase(c)
              && (Character.isLowerCase(name.charAt(i - 1))
                  || i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1)));
      if (wordStart) {
        words.append(' ');
      }
      words.append(c);
    }
    return words
        .toString()
        .toLowerCase(Locale.ROOT)
        .replace("api key", "API key")
        .replace("oidc", "OIDC")
        .replace("ssh", "SSH");
  }
}
