// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Checks what an admin sends against {@link InputBounds} before any command or query is sent: a
 * value out of bounds is a 400 problem naming the field and the rule (as {@code field} and {@code
 * rule} properties too), and nothing is dispatched, so no event records it.
 */
public final class Bounds {
  private Bounds() {}

  /** The first violation of {@code checks} as a 400; nothing when all pass. */
  @SafeVarargs
  public static void check(Optional<BoundViolation>... checks) {
    Optional<BoundViolation> violation = InputBounds.first(checks);
    if (violation.isPresent()) {
      throw new OutOfBounds(violation.get());
    }
  }

  /** A 400 for a value out of its bound; never carries the value. */
  public static final class OutOfBounds extends ApiProblem {
    private final transient BoundViolation violation;

    OutOfBounds(BoundViolation violation) {
      super(HttpStatus.BAD_REQUEST, violation.message());
      this.violation = violation;
    }

    public BoundViolation violation() {
      return violation;
    }
  }
}
