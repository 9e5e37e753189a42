// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
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
import org.junit.jupiter.api.Test;

/**
 * Registrations racing each other on the real server and the real PostgreSQL event store: the properties that must
 * hold whatever the interleaving.
 */
class ParallelRegistrationIT extends RunningServer {

  @Test
  void singleUseKeyRegistersExactlyOneOfFiftyParallelNodes() throws Exception {
    JsonNode user = createUser(unique("race"));
    Http.Answer created = admin().post("/api/v1/preauthkey",
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

    // 8 at a time: more concurrent commands than the connection pool holds time out waiting for a connection
    // (each command takes one before it queues for the tailnet lock), which is a capacity limit, not this property
    List<Object> outcomes = race(1500, 1500, i -> registerOrRefusal(key, "laptop"));

    assertThat(outcomes).allMatch(NodeRegistration.class::isInstance);
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
    awaitNodes(user, 1500);
  }

  /**
   * What the gateway sends for {@code tailscale up --authkey}. Unlike {@link #registerNode} it does not wait for
   * each node in the read side: 200 racers polling it would slow the projection they wait for.
   */
  private Object registerOrRefusal(String key, String hostname) {
    try {
      return commands.sendAndWait(
          new RegisterNodeWithPreAuthKeyCommand(key("mkey:"), key("nodekey:"), hostname, List.of(), key, null),
          AuditMetadata.of(new Actor(ActorType.NODE, hostname, hostname), Origin.NODE, "127.0.0.1", null));
    } catch (RuntimeException refused) {
      return refused;
    }
  }

  /** The read side catches up with every registration, however many arrived at once. */
  private void awaitNodes(JsonNode user, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (nodesOf(user).size() != count) {
      assertThat(System.nanoTime()).as("waited 60 s for %d nodes in the read side", count).isLessThan(deadline);
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
        Callable<Object> task = () -> {
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
