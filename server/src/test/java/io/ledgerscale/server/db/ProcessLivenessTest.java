// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ProcessLivenessTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void aRunningProcessIsAliveAndAMissingOneIsNot() {
    assertThat(ProcessLiveness.alive(SELF)).isTrue();
    assertThat(ProcessLiveness.alive(0)).isFalse();
    assertThat(ProcessLiveness.alive(SELF, stat -> "1 (java) Z 0")).isFalse();
    assertThat(
            ProcessLiveness.alive(
                SELF,
                stat -> {
                  throw new NoSuchFileException(stat.toString());
                }))
        .isFalse();
  }

  @Test
  void aStatFileThatCannotBeOpenedDoesNotMakeALiveProcessDead() {
    // the server at its fd limit took its running PostgreSQL for dead and tried to restart it
    assertThat(
            ProcessLiveness.alive(
                SELF,
                stat -> {
                  throw new IOException("Too many open files");
                }))
        .isTrue();
  }
}
