// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e;

import static io.ledgerscale.it.e2e.TailnetIT.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.it.e2e.support.Poll;
import io.ledgerscale.it.e2e.support.TailscaleBuild;
import io.ledgerscale.it.e2e.support.TailscaleNode;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Real tailscaled clients join a server configured with its own {@code prefixes.v4} / {@code
 * prefixes.v6}: each takes the address it was given from those prefixes, and its peer sees it
 * there.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + AddressPrefixJoinIT.CONFIG)
class AddressPrefixJoinIT {
  static final String DIR = "target/e2e/address-prefix";
  static final String CONFIG = DIR + "/config.yaml";
  private static final MetaData ADMIN =
      AuditMetadata.of(Actor.system("it"), Origin.SYSTEM, "", null);

  static {
    Path dir = Path.of(DIR);
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> old = Files.walk(dir)) {
          old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir);
      // a DERP map naming nothing reachable: the two nodes talk through the server only, as far as
      // this test goes
      Files.writeString(
          dir.resolve("derp.json"),
          """
          {"Regions":{"900":{"RegionID":900,"RegionCode":"test","RegionName":"Test","Nodes":[
            {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1","IPv6":"none",
             "STUNPort":-1,"DERPPort":3340,"InsecureForTests":true}]}}}
          """);
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %1$s/data
          database:
            type: embedded
            embedded:
              port: 0
          prefixes:
            v4: 100.96.7.0/24
            v6: fd7a:115c:a1e0:77::/64
            allocation: sequential
          derp:
            urls: []
            paths: [%1$s/derp.json]
          """
              .formatted(dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;

  @Test
  void shouldGiveRealClientsAddressesFromTheConfiguredPrefixes() throws Exception {
    long user =
        ((Number) send(new CreateUserCommand("prefixed", null, null, null, null, null)))
            .longValue();
    IssuedPreAuthKey key = send(new CreatePreAuthKeyCommand(user, true, false, null, List.of()));
    Path nodes = Path.of(DIR, "nodes").toAbsolutePath();
    try (TailscaleNode laptop =
            TailscaleNode.start("laptop", TailscaleBuild.NEWEST, nodes.resolve("laptop"));
        TailscaleNode phone =
            TailscaleNode.start("phone", TailscaleBuild.NEWEST, nodes.resolve("phone"))) {
      laptop.upWithKey("http://127.0.0.1:" + port, key.key());
      phone.upWithKey("http://127.0.0.1:" + port, key.key());

      assertThat(texts(laptop.status().path("Self").path("TailscaleIPs")))
          .containsExactlyInAnyOrder("100.96.7.1", "fd7a:115c:a1e0:77::1");
      assertThat(texts(phone.status().path("Self").path("TailscaleIPs")))
          .containsExactlyInAnyOrder("100.96.7.2", "fd7a:115c:a1e0:77::2");
      Poll.until(
          Duration.ofSeconds(30),
          200,
          () -> !laptop.peerByHostName("phone").isMissingNode(),
          () -> "laptop does not list phone: " + laptop.status());
      assertThat(texts(laptop.peerByHostName("phone").path("TailscaleIPs")))
          .containsExactlyInAnyOrder("100.96.7.2", "fd7a:115c:a1e0:77::2");
    }
  }

  private <R> R send(Object command) {
    return commands.sendAndWait(
        GenericCommandMessage.asCommandMessage(command).withMetaData(ADMIN));
  }
}
