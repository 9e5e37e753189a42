// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportedHostnameTest {

  private static NodeConnectivity reporting(String hostinfo) {
    return new NodeConnectivity(1, List.of(), null, null, hostinfo, true, null, null, null);
  }

  @Test
  void aPlainHostnameIsTaken() {
    assertThat(ReportedHostname.of(reporting("{\"Hostname\":\"laptop-7\",\"OS\":\"linux\"}")))
        .isEqualTo("laptop-7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"Hostname\":null}",
        "{\"Hostname\":\"\"}",
        "{\"Hostname\":\"   \"}",
        "{\"Hostname\":42}",
        "{\"Hostname\":[\"a\"]}",
        "{\"Hostname\":{\"a\":1}}",
        "{\"Hostname\":\"bad\\u0000name\"}",
        "{\"Hostname\":\"line\\nbreak\"}",
        "{\"Hostname\":\"esc\\u001b[2Jape\"}",
        "not json",
        "{\"Hostname\":\"unterminated",
        "[]",
        "\"Hostname\""
      })
  void nothingThatCannotBeAHostnameBecomesOne(String hostinfo) {
    assertThat(ReportedHostname.of(reporting(hostinfo))).isNull();
  }

  @Test
  void aNameLongerThanAHostnameMayBeIsDropped() {
    assertThat(ReportedHostname.of(reporting("{\"Hostname\":\"" + "a".repeat(254) + "\"}")))
        .isNull();
    assertThat(ReportedHostname.of(reporting("{\"Hostname\":\"" + "a".repeat(253) + "\"}")))
        .hasSize(253);
  }

  @Test
  void noReportNoHostname() {
    assertThat(ReportedHostname.of(null)).isNull();
    assertThat(ReportedHostname.of(reporting(null))).isNull();
  }
}
