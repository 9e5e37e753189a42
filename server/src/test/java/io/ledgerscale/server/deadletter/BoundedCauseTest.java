// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.junit.jupiter.api.Test;

class BoundedCauseTest {
  @Test
  void keepsTheTypeAndABoundedMessageWithoutControlCharacters() {
    RuntimeException failure =
        new IllegalStateException(
            "bad \u0000 value " + "x".repeat(5000),
            new SQLException("ERROR: invalid byte sequence"));

    ThrowableCause cause = BoundedCause.of(failure);

    assertThat(cause.type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(cause.message()).startsWith("bad   value ").doesNotContain("\u0000");
    assertThat(cause.message()).hasSize(BoundedCause.MAX_MESSAGE + 1).endsWith("…");
  }

  @Test
  void namesTheRootCauseWhereTheDatabaseSaysWhy() {
    ThrowableCause cause =
        BoundedCause.of(
            new RuntimeException("insert failed", new SQLException("timestamp out of range")));

    assertThat(cause.message()).contains("SQLException: timestamp out of range");
  }

  @Test
  void aTransientFailureIsRetriedNotSetAside() {
    BoundedCause policy = new BoundedCause();
    Throwable lostConnection =
        new RuntimeException("insert failed", new SQLException("connection lost", "08006"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy.decide(null, lostConnection))
        .isInstanceOf(BoundedCause.TransientHandlerFailure.class);
    assertThat(
            policy.decide(null, new SQLException("invalid byte sequence", "22021")).shouldEnqueue())
        .isTrue();
  }
}
