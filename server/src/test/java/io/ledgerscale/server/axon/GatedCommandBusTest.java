// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.db.EmbeddedPostgresServer;
import io.ledgerscale.server.support.TestConfigs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The gate on a real PostgreSQL connection pool with Spring's JDBC transactions, as the server
 * wires them: a burst of commands must leave connections for everyone else, and a command refused
 * at the gate must not have touched the database.
 */
class GatedCommandBusTest {
  private static final int POOL = 4;
  private static EmbeddedPostgresServer postgres;
  private static HikariDataSource pool;
  private final ExecutorService callers = Executors.newFixedThreadPool(60);

  @BeforeAll
  static void start() {
    String yaml =
        "database:\n  type: embedded\n  embedded:\n    port: 0\n    binaries_path: "
            + TestConfigs.PG_BINARIES
            + "\n";
    postgres =
        EmbeddedPostgresServer.start(
            ConfigLoader.load(TestConfigs.write("gated-bus", yaml).toString(), Map.of()).config());
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(postgres.jdbcUrl());
    hikari.setUsername(EmbeddedPostgresServer.USER);
    hikari.setPassword(postgres.password());
    hikari.setMaximumPoolSize(POOL);
    // a reader that cannot get a connection this fast is what starved projections looked like
    hikari.setConnectionTimeout(1000);
    pool = new HikariDataSource(hikari);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close();
    postgres.close();
  }

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  private static SimpleCommandBus.Builder transactional() {
    return SimpleCommandBus.builder()
        .transactionManager(new SpringTransactionManager(new DataSourceTransactionManager(pool)));
  }

  /**
   * A handler that works in the command's transaction for a while, as loading the Tailnet aggregate
   * does.
   */
  private static Object work(CommandMessage<?> command) throws SQLException {
    Connection c = DataSourceUtils.getConnection(pool);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_sleep(0.1)");
    }
    return command.getPayload();
  }

  /**
   * How often a reader got no connection during a burst, and how many commands of the burst failed.
   */
  private record Burst(int readerFailures, int commandFailures) {}

  /** 60 commands at once while a reader asks for a connection now and then. */
  private Burst burst(SimpleCommandBus bus) throws Exception {
    bus.subscribe(String.class.getName(), GatedCommandBusTest::work);
    CommandGateway gateway = DefaultCommandGateway.builder().commandBus(bus).build();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String payload = "command-" + i;
      results.add(
          callers.submit(
              () -> {
                start.await();
                return gateway.sendAndWait(payload);
              }));
    }
    start.countDown();
    int failures = 0;
    while (results.stream().anyMatch(f -> !f.isDone())) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      } catch (SQLException starved) {
        failures++;
      }
      Thread.sleep(50);
    }
    int commandFailures = 0;
    for (int i = 0; i < results.size(); i++) {
      try {
        assertThat(results.get(i).get(1, TimeUnit.SECONDS)).isEqualTo("command-" + i);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).hasMessageContaining("Could not open JDBC Connection");
        commandFailures++;
      }
    }
    return new Burst(failures, commandFailures);
  }

  @Test
  void shouldLeaveConnectionsForReadersDuringABurstOfCommands() throws Exception {
    CommandGate gate = new CommandGate(POOL / 2, Duration.ofSeconds(30), Duration.ofSeconds(1));

    Burst burst = burst(new GatedCommandBus(transactional(), gate));

    assertThat(burst).isEqualTo(new Burst(0, 0));
    assertThat(gate.running()).isZero();
  }

  /**
   * The bug the gate fixes: on an ungated bus the same burst holds every connection the pool has,
   * so the reader, and commands queued behind the others, time out on the pool.
   */
  @Test
  void shouldStarveReadersWithoutTheGate() throws Exception {
    Burst burst = burst(transactional().build());

    assertThat(burst.readerFailures() + burst.commandFailures()).isPositive();
  }

  @Test
  void cannotRunACommandThatWaitedLongerThanTheBound() throws Exception {
    CommandGate gate = new CommandGate(1, Duration.ofMillis(200), Duration.ofSeconds(3));
    SimpleCommandBus bus = new GatedCommandBus(transactional(), gate);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    bus.subscribe(
        String.class.getName(),
        command -> {
          handled.incrementAndGet();
          if (command.getPayload().equals("slow")) {
            holding.countDown();
            release.await();
          }
          return command.getPayload();
        });
    CommandGateway gateway = DefaultCommandGateway.builder().commandBus(bus).build();
    Future<Object> slow = callers.submit(() -> gateway.sendAndWait("slow"));
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    int activeBefore = pool.getHikariPoolMXBean().getActiveConnections();

    long started = System.nanoTime();
    assertThatThrownBy(() -> gateway.sendAndWait("fast"))
        .isInstanceOf(ServerBusyException.class)
        .hasMessageContaining("String not run")
        .hasMessageContaining("nothing was changed")
        .satisfies(
            e ->
                assertThat(((ServerBusyException) e).retryAfter())
                    .isEqualTo(Duration.ofSeconds(3)));
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(190));
    assertThat(handled.get()).as("the refused command never reached its handler").isEqualTo(1);
    assertThat(gate.refused()).isEqualTo(1);
    assertThat(activeBefore).as("only the running command holds a connection").isEqualTo(1);

    release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
    assertThat(gateway.<String>sendAndWait("fast")).as("the permit came back").isEqualTo("fast");
    assertThat(gate.running()).isZero();
  }

  @Test
  void shouldReturnThePermitWhenTheHandlerFails() {
    CommandGate gate = new CommandGate(1, Duration.ofMillis(100), Duration.ofSeconds(1));
    SimpleCommandBus bus = new GatedCommandBus(transactional(), gate);
    bus.subscribe(
        String.class.getName(),
        command -> {
          throw new IllegalArgumentException("refused: " + command.getPayload());
        });
    CommandGateway gateway = DefaultCommandGateway.builder().commandBus(bus).build();

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> gateway.sendAndWait("bad"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(gate.running()).isZero();
  }

  @Test
  void shouldLetACommandSentFromAHandlerShareItsCallersPermit() {
    CommandGate gate = new CommandGate(1, Duration.ofMillis(200), Duration.ofSeconds(1));
    SimpleCommandBus bus = new GatedCommandBus(transactional(), gate);
    CommandGateway gateway = DefaultCommandGateway.builder().commandBus(bus).build();
    bus.subscribe(String.class.getName(), command -> "inner " + command.getPayload());
    bus.subscribe(
        Integer.class.getName(), command -> gateway.sendAndWait("from " + command.getPayload()));

    Object answer = gateway.sendAndWait(GenericCommandMessage.asCommandMessage(7));

    assertThat(answer).isEqualTo("inner from 7");
    assertThat(gate.running()).isZero();
  }

  @Test
  void cannotBuildAGateWithoutPermits() {
    assertThatThrownBy(() -> new CommandGate(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
