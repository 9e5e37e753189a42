// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Registrations racing each other on the real server and the real PostgreSQL event store: the
 * properties that must hold whatever the interleaving.
 */
class ParallelRegistrationIT extends RunningServer {

  @Test
  void singleUseKeyRegistersExactlyOneOfFiftyParallelNodes() throws Exception {
    JsonNode user = createUser(unique("race"));
    Http.Answer created =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"user\":\"" + user.path("id").asText() + "\",\"reusable\":false}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    String key = created.json().path("preAuthKey").path("key").asText();

    List<Object> outcomes = race(50, 50, i -> registerOrRefusal(key, "racer-" + i));

    long registered = outcomes.stream().filter(NodeRegistration.class::isInstance).count();
    assertThat(registered).isEqualTo(1);
    assertThat(outcomes).filteredOn(Throwable.class::isInstance).hasSize(49);
    awaitNodes(user, 1);
  }

  @Test
  void twoHundredParallelRegistrationsGetDistinctAddressesAndNames() throws Exception {
    JsonNode user = createUser(unique("crowd"));
    String key = createPreAuthKey(user.path("id").asText(), null);

    // all 200 at once: the command gate queues them without holding connections, well within its
    // wait
    long started = System.nanoTime();
    List<Object> outcomes = race(200, 200, i -> registerOrRefusal(key, "laptop"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf("200 parallel registrations took %d ms%n", took.toMillis());

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(NodeRegistration.class));
    Set<String> v4 = new HashSet<>();
    Set<String> v6 = new HashSet<>();
    Set<String> names = new HashSet<>();
    Set<Long> ids = new HashSet<>();
    for (Object o : outcomes) {
      NodeRegistration node = (NodeRegistration) o;
      assertThat(v4.add(node.ipv4())).as("IPv4 %s handed out twice", node.ipv4()).isTrue();
      assertThat(v6.add(node.ipv6())).as("IPv6 %s handed out twice", node.ipv6()).isTrue();
      assertThat(names.add(node.givenName())).as("name %s given twice", node.givenName()).isTrue();
      assertThat(ids.add(node.nodeId())).isTrue();
    }
    awaitNodes(user, 200);
  }

  /**
   * Far more registrations at once than the server can run within its command wait: each one either
   * registers or is refused as busy (and then changed nothing), never anything else, and the read
   * side keeps answering while the crowd drains, because commands can no longer take every
   * connection of the pool.
   */
  @Test
  void shouldRegisterOrRefuseAsBusyAndKeepAnsweringUnderACrowd() throws Exception {
    JsonNode user = createUser(unique("stampede"));
    String key = createPreAuthKey(user.path("id").asText(), null);
    AtomicLong slowestRead = new AtomicLong();
    AtomicBoolean crowding = new AtomicBoolean(true);
    List<String> failedReads = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (crowding.get()) {
                long t0 = System.nanoTime();
                Http.Answer answer = admin().get("/api/v1/user");
                if (answer.status() != 200) {
                  failedReads.add(answer.toString());
                }
                slowestRead.accumulateAndGet(System.nanoTime() - t0, Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });

    long started = System.nanoTime();
    reader.start();
    List<Object> outcomes;
    try {
      outcomes = race(800, 800, i -> registerOrRefusal(key, "crowd"));
    } finally {
      crowding.set(false);
      reader.join();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    long registered = outcomes.stream().filter(NodeRegistration.class::isInstance).count();
    long busy = outcomes.stream().filter(ServerBusyException.class::isInstance).count();
    System.out.printf(
        "800 parallel registrations: %d registered, %d refused as busy in %d ms; slowest read %d ms%n",
        registered, busy, took.toMillis(), Duration.ofNanos(slowestRead.get()).toMillis());
    assertThat(outcomes)
        .allSatisfy(
            o -> assertThat(o).isInstanceOfAny(NodeRegistration.class, ServerBusyException.class));
    assertThat(outcomes)
        .filteredOn(ServerBusyException.class::isInstance)
        .allSatisfy(o -> assertThat(((ServerBusyException) o).retryAfter()).isPositive());
    assertThat(registered).isPositive();
    // a read starved of connections fails after the pool's timeout; how slow the reads were is
    // printed above, not asserted, because it measures this machine's load rather than the gate
    assertThat(failedReads).as("the read side kept its connections").isEmpty();
    awaitNodes(user, (int) registered);
  }

  /**
   * The admin API's register call, many at once: each one registers its node or answers 503 with
   * Retry-After.
   */
  @Test
  void canApproveManyRegistrationsThroughRestAtOnce() throws Exception {
    JsonNode user = createUser(unique("batch"));
    List<Object> authIds =
        race(
            100,
            100,
            i ->
                commands.sendAndWait(
                    new RequestRegistrationCommand(
                        key("mkey:"), key("nodekey:"), "desk-" + i, List.of(), null),
                    AuditMetadata.of(
                        new Actor(ActorType.NODE, "desk-" + i, "desk-" + i),
                        Origin.NODE,
                        "127.0.0.1",
                        null)));
    assertThat(authIds).allSatisfy(id -> assertThat(id).isInstanceOf(String.class));
    awaitTrue(
        () -> {
          String pending = admin().get("/api/v1/registrations").text();
          return authIds.stream().allMatch(id -> pending.contains((String) id));
        });

    List<Object> answers =
        race(
            100,
            100,
            i ->
                admin()
                    .post(
                        "/api/v1/node/register?user="
                            + user.path("name").asText()
                            + "&key="
                            + authIds.get(i),
                        null));

    int approved = 0;
    for (Object o : answers) {
      Http.Answer answer = (Http.Answer) o;
      if (answer.status() == 503) {
        assertThat(answer.isProblem()).as(answer.toString()).isTrue();
        assertThat(answer.headers().firstValue("Retry-After")).as(answer.toString()).isPresent();
      } else {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("node").path("user").path("name").asText())
            .isEqualTo(user.path("name").asText());
        approved++;
      }
    }
    System.out.printf("100 parallel REST registrations: %d approved%n", approved);
    assertThat(approved).as("a sane command wait lets 100 at once through").isEqualTo(100);
    awaitNodes(user, approved);
  }

  /**
   * What the gateway sends for {@code tailscale up --authkey}. Unlike {@link #registerNode} it does
   * not wait for each node in the read side: 200 racers polling it would slow the projection they
   * wait for.
   */
  private Object registerOrRefusal(String key, String hostname) {
    try {
      return commands.sendAndWait(
          new RegisterNodeWithPreAuthKeyCommand(
              key("mkey:"), key("nodekey:"), hostname, List.of(), key, null),
          AuditMetadata.of(
              new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    } catch (RuntimeException refused) {
      return refused;
    }
  }

  /** The read side catches up with every registration, however many arrived at once. */
  private void awaitNodes(JsonNode user, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (nodesOf(user).size() != count) {
      assertThat(System.nanoTime())
          .as("waited 60 s for %d nodes in the read side", count)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private JsonNode nodesOf(JsonNode user) {
    return admin().get("/api/v1/node?user=" + user.path("name").asText()).json().path("nodes");
  }

  private interface Attempt {
    Object run(int i);
  }

  /** Starts every attempt at the same moment, so they really overlap. */
  private static List<Object> race(int n, int concurrency, Attempt attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<Object> task =
            () -> {
              start.await();
              return attempt.run(index);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
