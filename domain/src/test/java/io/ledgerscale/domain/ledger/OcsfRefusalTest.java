// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Refusals map to one OCSF class whatever their event: a failed API activity ("other"). */
class OcsfRefusalTest {

  @Test
  void shouldMapEveryRefusalEventToAFailedApiActivity() {
    for (String refusal : new String[] {"CommandRefusedEvent", "ForeignNodeKeyRefusedEvent"}) {
      LedgerExport.OcsfClass ocsf = LedgerExport.OcsfClass.of(refusal, "node");

      assertThat(ocsf.classUid()).as(refusal).isEqualTo(LedgerExport.OcsfClass.API_ACTIVITY);
      assertThat(ocsf.activity()).as(refusal).isEqualTo(99);
    }
  }
}
