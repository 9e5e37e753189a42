// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in our own words what is wrong with policy text the JSON reader stopped at, instead of the
 * reader's internal wording; the position is reported beside it.
 */
final class SyntaxReasons {
  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("Unexpected character \\('(.{1,4})' \\(code \\d+\\)\\)");

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  private SyntaxReasons() {}

  static String of(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return "the policy is too deeply nested or holds a number or string that is too long";
    }
    if (e instanceof JsonEOFException) {
      return "the policy ends too early: an object, array or string is not closed";
    }
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.contains("was expecting double-quote to start field name")) {
      return "expected a quoted key or the end of the object";
    }
    if (m.contains("was expecting comma to separate")) {
      return "expected a comma or the end of the " + (m.contains("Array") ? "array" : "object");
    }
    if (m.contains("Unrecognized token")) {
      return "unknown word (strings must be in double quotes; true, false and null are lowercase)";
    }
    if (m.contains("Illegal unquoted character") || m.contains("Illegal character")) {
      return "control character inside a string (write it escaped, e.g. \\t or \\n)";
    }
    if (m.contains("Unrecognized character escape")) {
      return "invalid escape in a string";
    }
    if (m.contains("Invalid numeric value") || m.contains("Leading zeroes")) {
      return "invalid number";
    }
    if (m.contains("Invalid UTF-8")) {
      return "the policy is not valid UTF-8";
    }
    Matcher d = DUPLICATE.matcher(m);
    if (d.find()) {
      return "duplicate key \"" + d.group(1) + "\"";
    }
    Matcher c = UNEXPECTED_CHAR.matcher(m);
    if (c.find()) {
      return "unexpected character '" + c.group(1) + "'";
    }
    return "invalid HuJSON";
  }
}
