// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportedConnectivityTest {
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

  /** What the map passed on, as "routes 1 [..]" and "hostname 1 name". */
  private final List<String> told = new ArrayList<>();

  private final ClientReports reports =
      new ClientReports() {
        @Override
        public void advertisedRoutes(long nodeId, List<String> routes) {
          told.add("routes " + nodeId + " " + routes);
        }

        @Override
        public void reportedHostname(long nodeId, String hostname) {
          told.add("hostname " + nodeId + " " + hostname);
        }
      };

  @Test
  void aFirstReportOfTheRoutesTheNodeIsRecordedWithIsNotPassedOn() {
    ReportedConnectivity.tell(reports, 1, null, reporting(1, "[]"), advertising(1, List.of()));
    ReportedConnectivity.tell(
        reports,
        2,
        null,
        reporting(2, "[\"10.1.0.0/24\",\"10.0.0.0/24\"]"),
        advertising(2, List.of("10.0.0.0/24", "10.1.0.0/24")));

    assertThat(told).isEmpty();
  }

  @Test
  void aFirstReportOfRoutesOtherThanTheRecordedOnesIsPassedOn() {
    ReportedConnectivity.tell(
        reports, 1, null, reporting(1, "[\"10.0.0.0/24\"]"), advertising(1, List.of()));
    ReportedConnectivity.tell(
        reports, 2, null, reporting(2, "[]"), advertising(2, List.of("10.0.0.0/24")));
    // no view yet (the node's event has not reached the map): passed on, the domain decides
    ReportedConnectivity.tell(reports, 3, null, reporting(3, "[]"), null);

    assertThat(told).containsExactly("routes 1 [10.0.0.0/24]", "routes 2 []", "routes 3 []");
  }

  @Test
  void aChangeFromTheLastReportIsPassedOnWhateverTheViewShows() {
    // the view still shows the routes the node advertised before its last report
    NodeView stale = advertising(1, List.of("10.0.0.0/24"));

    ReportedConnectivity.tell(
        reports, 1, reporting(1, "[\"10.2.0.0/24\"]"), reporting(1, "[\"10.0.0.0/24\"]"), stale);

    assertThat(told).containsExactly("routes 1 [10.0.0.0/24]");
  }

  private static NodeConnectivity reporting(long id, String routableIps) {
    return new NodeConnectivity(
        id,
        List.of("192.0.2.1:41641"),
        null,
        900,
        "{\"Hostname\":\"node" + id + "\",\"RoutableIPs\":" + routableIps + "}",
        true,
        AT,
        "test",
        AT);
  }

  private static NodeView advertising(long id, List<String> routes) {
    return NetworkMapTest.view(id, "node" + id, 1, List.of(), routes);
  }
}
