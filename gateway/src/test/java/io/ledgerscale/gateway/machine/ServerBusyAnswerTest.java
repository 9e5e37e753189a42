// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registration the command bus could not run for lack of capacity: the client is told to come
 * back later, in the way its version understands (429 + Retry-After from capability version 137,
 * 503 + Retry-After before). The bus refuses as an overloaded bus does, by throwing
 * ServerBusyException from dispatch or from handling. The handler is served over plain HTTP here
 * (the Noise layer is tested elsewhere) so that the response headers can be read.
 */
class ServerBusyAnswerTest {
  private static final String MACHINE_KEY = "mkey:" + "ab".repeat(32);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<CommandMessage<?>> handled = new CopyOnWriteArrayList<>();
  private SimpleCommandBus bus;
  private Undertow undertow;
  private String url;

  @BeforeEach
  void start() {
    bus = SimpleCommandBus.builder().build();
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build(),
            ServerUrl.parse("http://127.0.0.1:8080/"),
            Clock.systemUTC());
    undertow =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(
                exchange -> {
                  exchange.putAttachment(
                      NoisePeer.KEY, new NoisePeer(MACHINE_KEY, 113, exchange.getSourceAddress()));
                  register.handleRequest(exchange);
                })
            .build();
    undertow.start();
    InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    url = "http://127.0.0.1:" + address.getPort() + "/machine/register";
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private HttpResponse<String> register(int version) throws Exception {
    String json =
        "{\"Version\":"
            + version
            + ",\"NodeKey\":\"nodekey:"
            + "cd".repeat(32)
            + "\",\"OldNodeKey\":"
            + "\"nodekey:"
            + "0".repeat(64)
            + "\",\"Expiry\":\"0001-01-01T00:00:00Z\","
            + "\"Auth\":{\"AuthKey\":\"lskey-auth-abc-def\"},\"Hostinfo\":{\"Hostname\":\"laptop\"}}";
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void busyWhenDispatching(Duration retryAfter) {
    bus.registerDispatchInterceptor(
        messages ->
            (i, m) -> {
              throw new ServerBusyException("at capacity", retryAfter);
            });
  }

  @Test
  void shouldAnswer429WithRetryAfterToClientsThatHonourIt() throws Exception {
    busyWhenDispatching(Duration.ofMillis(1500));

    HttpResponse<String> r = register(137);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(r.body()).contains("retry after 2 s");
  }

  @Test
  void shouldAnswer503WithRetryAfterToOlderClients() throws Exception {
    busyWhenDispatching(Duration.ofSeconds(5));

    HttpResponse<String> r = register(136);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
  }

  @Test
  void shouldAnswer429WhenTheHandlerSideRefusesForCapacity() throws Exception {
    bus.subscribe(
        EnrollNodeCommand.class.getName(),
        m -> {
          handled.add(m);
          throw new ServerBusyException("no connection left", Duration.ZERO);
        });

    HttpResponse<String> r = register(142);

    assertThat(handled).hasSize(1);
    assertThat(r.statusCode()).isEqualTo(429);
    // never "retry now": a zero hint still spaces the retries by a second
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void shouldAnswerAnUnreachableDatabaseAsBusy() throws Exception {
    bus.subscribe(
        EnrollNodeCommand.class.getName(),
        m -> {
          // what the server's buses make of a connection that could not be had
          throw new IllegalStateException(new DatabaseUnavailableException());
        });

    HttpResponse<String> r = register(136);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(r.body()).doesNotContain("ledgerscale - Connection");
  }

  @Test
  void shouldStillAnswerOtherFailuresWithA500() throws Exception {
    bus.subscribe(
        EnrollNodeCommand.class.getName(),
        m -> {
          throw new IllegalStateException("database gone");
        });

    HttpResponse<String> r = register(142);

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
  }
}
