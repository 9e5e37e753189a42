// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.RegisterHandler;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.Tailscaled;
import io.undertow.util.Methods;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real tailscaled and `tailscale up --login-server --authkey` against our server: /key, the
 * /ts2021 upgrade, the Noise handshake, HTTP/2 inside it and /machine/register, up to the command
 * dispatch (the domain's handlers are not in this module, so the bus here has none and the client
 * keeps retrying until `up` times out).
 */
class RealClientTest {
  @TempDir Path dir;

  /** The newest release that builds here and the oldest Headscale supports. */
  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void canTakeARealClientFromKeyDiscoveryToARegisterCommand(String version) throws Exception {
    List<CommandMessage<?>> dispatched = new CopyOnWriteArrayList<>();
    SimpleCommandBus bus = SimpleCommandBus.builder().build();
    bus.registerDispatchInterceptor(
        messages ->
            (i, m) -> {
              dispatched.add(m);
              return m;
            });
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build(),
            ServerUrl.parse("http://127.0.0.1"),
            Clock.systemUTC());
    try (ControlServer server =
            new ControlServer(
                new MachineRouter().add(Methods.POST, "/machine/register", register));
        Tailscaled daemon = new Tailscaled(dir, version)) {
      Tailscaled.Result up =
          daemon.cli(
              60,
              "up",
              "--login-server=http://" + server.address(),
              "--authkey=lskey-auth-e2etest0001-secret",
              "--hostname=e2e-node",
              "--timeout=8s");

      assertThat(dispatched)
          .as("tailscale up: %s\ntailscaled:\n%s", up.output(), daemon.log())
          .isNotEmpty();
      CommandMessage<?> m = dispatched.get(0);
      EnrollNodeCommand cmd = (EnrollNodeCommand) m.getPayload();
      assertThat(cmd.preAuthKey()).isEqualTo("lskey-auth-e2etest0001-secret");
      assertThat(cmd.hostname()).isEqualTo("e2e-node");
      assertThat(cmd.nodeKey()).matches("nodekey:[0-9a-f]{64}");
      assertThat(cmd.machineKey()).matches("mkey:[0-9a-f]{64}");
      assertThat(m.getMetaData())
          .containsEntry(AuditMetadata.ORIGIN, "NODE")
          .containsEntry(AuditMetadata.ACTOR_ID, cmd.machineKey());
      // the machine key is the one tailscaled keeps in its state, proven by the Noise handshake
      assertThat(daemon.log()).doesNotContain("message authentication failed");
    }
  }
}
