// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void shouldPadColumnsAndSeparateThemWithBars() {
    String table = new Table("ID", "Name").row("1", "alice").row("12", null).render();

    assertThat(table).isEqualTo("ID | Name\n1  | alice\n12 |\n");
  }
}
