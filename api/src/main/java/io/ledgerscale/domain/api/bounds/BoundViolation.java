// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

/**
 * A value outside its bound: which field and which rule. It never carries the value itself, so it
 * can be shown, logged and recorded whatever was sent.
 */
public record BoundViolation(String field, String rule) {

  /** "field: rule", the text a 400 answer or a refusal carries. */
  public String message() {
    return field + ": " + rule;
  }
}
