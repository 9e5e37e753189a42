// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import org.junit.jupiter.api.Test;

class RefusalsCommitTest {
  private final RefusalsCommit rollback = new RefusalsCommit();

  @Test
  void shouldCommitOnRefusal() {
    assertThat(rollback.rollBackOn(new CommandRefusedException(RefusalKind.CONFLICT, "taken")))
        .isFalse();
  }

  @Test
  void shouldRollBackOnEverythingElse() {
    assertThat(rollback.rollBackOn(new IllegalStateException("bug"))).isTrue();
    assertThat(rollback.rollBackOn(new AssertionError("bug"))).isTrue();
    assertThat(rollback.rollBackOn(new Exception("checked"))).isTrue();
  }
}
