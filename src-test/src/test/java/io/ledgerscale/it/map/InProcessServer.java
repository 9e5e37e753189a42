// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.it.e2e.support.Dirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * What the suites that run the server inside the test JVM ({@code @SpringBootTest}) share: a fresh
 * working directory with a config file, the admin's metadata, users, random keys and waiting for
 * the read side.
 */
final class InProcessServer {
  static final MetaData ADMIN = AuditMetadata.of(Actor.system("it"), Origin.SYSTEM, "", null);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Read models catch up in well under a second; this bounds a stuck one, not a slow one. */
  private static final Duration READ_SIDE = Duration.ofSeconds(30);

  private InProcessServer() {}

  /**
   * Empties {@code dir} and writes its {@code config.yaml}: loopback, a free port for the embedded
   * PostgreSQL, a DERP map with one loopback region, plus {@code extraYaml} (top-level keys).
   */
  static void writeConfig(String dir, String extraYaml) {
    Path d = Dirs.fresh(Path.of(dir));
    try {
      Files.writeString(
          d.resolve("derp.json"),
          """
          {"Regions":{"900":{"RegionID":900,"RegionCode":"test","RegionName":"Test","Nodes":[
            {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1","IPv6":"none",
             "STUNPort":-1,"DERPPort":3340,"InsecureForTests":true}]}}}
          """);
      Files.writeString(
          d.resolve("config.yaml"),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %1$s/data
          database:
            embedded:
              port: 0
          derp:
            urls: []
            paths: [%1$s/derp.json]
          """
                  .formatted(d)
              + extraYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a user as the admin and returns its id once the read side has it. */
  static long createUser(
      CommandGateway commands,
      QueryGateway queries,
      String name,
      String displayName,
      String email) {
    commands.sendAndWait(new CreateUserCommand(name, displayName, email, null, null, null), ADMIN);
    return await(
            () ->
                queries
                    .query(
                        new FetchUsersQuery(null, name, null),
                        ResponseTypes.multipleInstancesOf(UserView.class))
                    .join(),
            l -> !l.isEmpty())
        .get(0)
        .id();
  }

  /** A random 32-byte key in Tailscale's text form, {@code type} being e.g. "nodekey:". */
  static String key(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }

  /** Reads until {@code done} holds (the read side is eventually consistent) and returns that. */
  static <T> T await(Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + READ_SIDE.toNanos();
    T value = read.get();
    while (!done.test(value)) {
      assertThat(System.nanoTime())
          .as("waited %s; last: %s", READ_SIDE, value)
          .isLessThan(deadline);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      value = read.get();
    }
    return value;
  }
}
