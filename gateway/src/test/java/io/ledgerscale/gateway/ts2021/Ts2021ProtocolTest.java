// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.WhoamiHandler;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.TestInitiator;
import io.ledgerscale.gateway.noise.TransportCipher;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.RawControlClient;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /ts2021 upgrade and the Noise stream under inputs no real client sends. */
class Ts2021ProtocolTest {
  private final SecureRandom random = new SecureRandom();
  private ControlServer server;

  @BeforeEach
  void start() {
    server =
        new ControlServer(
            new MachineRouter().add(Methods.GET, "/machine/whoami", new WhoamiHandler()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private TestInitiator initiator() {
    return new TestInitiator(server.key.publicKey(), 113, random);
  }

  /**
   * Upgrades, completes the handshake, reads the early payload; returns {send, receive} ciphers.
   */
  private TransportCipher[] establish(RawControlClient c) throws Exception {
    TestInitiator init = initiator();
    String head = c.upgrade(init.initiation());
    assertThat(head)
        .startsWith("HTTP/1.1 101")
        .containsIgnoringCase("upgrade: tailscale-control-protocol");
    TransportCipher[] ciphers = init.finish(c.readExactly(NoiseMessages.RESPONSE_SIZE));
    byte[] hdr = c.readExactly(3);
    assertThat(hdr[0]).isEqualTo(NoiseMessages.TYPE_RECORD);
    int len = ((hdr[1] & 0xff) << 8) | (hdr[2] & 0xff);
    byte[] early = ciphers[1].open(c.readExactly(len), 0, len);
    assertThat(Arrays.copyOf(early, 5))
        .isEqualTo(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 'T', 'S'});
    String json = new String(early, 9, early.length - 9, StandardCharsets.UTF_8);
    assertThat(json).matches("\\{\"nodeKeyChallenge\":\"chalpub:[0-9a-f]{64}\"}");
    assertThat(
            ((early[5] & 0xff) << 24)
                | ((early[6] & 0xff) << 16)
                | ((early[7] & 0xff) << 8)
                | (early[8] & 0xff))
        .isEqualTo(early.length - 9);
    return ciphers;
  }

  @Test
  void shouldSendTheResponseThenTheEarlyPayloadThenHttp2Settings() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      TransportCipher[] ciphers = establish(c);
      // HTTP/2 prior knowledge: the client preface; the server then sends its SETTINGS frame (type
      // 4).
      byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
      byte[] both = new byte[preface.length + settings.length];
      System.arraycopy(preface, 0, both, 0, preface.length);
      System.arraycopy(settings, 0, both, preface.length, settings.length);
      c.out.write(ciphers[0].sealRecord(both, 0, both.length));
      c.out.flush();
      byte[] hdr = c.readExactly(3);
      int len = ((hdr[1] & 0xff) << 8) | (hdr[2] & 0xff);
      byte[] plain = ciphers[1].open(c.readExactly(len), 0, len);
      assertThat(plain[3]).as("HTTP/2 frame type").isEqualTo((byte) 4);
    }
  }

  @Test
  void cannotUpgradeWithoutTheProtocolOrHandshakeHeader() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      assertThat(c.request("POST /ts2021 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
          .startsWith("HTTP/1.1 400");
    }
    try (RawControlClient c = new RawControlClient(server.port())) {
      assertThat(
              c.request(
                  "POST /ts2021 HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: upgrade\r\n"
                      + "X-Tailscale-Handshake: AAAA\r\nContent-Length: 0\r\n\r\n"))
          .startsWith("HTTP/1.1 400");
    }
    try (RawControlClient c = new RawControlClient(server.port())) {
      assertThat(
              c.request(
                  "POST /ts2021 HTTP/1.1\r\nHost: x\r\nUpgrade: tailscale-control-protocol\r\n"
                      + "Connection: upgrade\r\nX-Tailscale-Handshake: !!notbase64!!\r\nContent-Length: 0\r\n\r\n"))
          .startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void shouldAnswerAMalformedInitiationWithAnErrorMessageAndClose() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      byte[] init = Arrays.copyOf(initiator().initiation(), 90);
      assertThat(c.upgrade(init)).startsWith("HTTP/1.1 101");
      byte[] hdr = c.readExactly(3);
      assertThat(hdr[0]).isEqualTo(NoiseMessages.TYPE_ERROR);
      String msg = new String(c.readExactly(hdr[2]), StandardCharsets.US_ASCII);
      assertThat(msg).isEqualTo("wrong handshake initiation size");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseSilentlyWhenTheInitiationDoesNotAuthenticate() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      byte[] init = initiator().initiation();
      init[60] ^= 1;
      assertThat(c.upgrade(init)).startsWith("HTTP/1.1 101");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseTheConnectionOnATamperedRecord() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      TransportCipher[] ciphers = establish(c);
      byte[] rec = ciphers[0].sealRecord(new byte[] {1, 2, 3}, 0, 3);
      rec[4] ^= 1;
      c.out.write(rec);
      c.out.flush();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseTheConnectionOnAReplayedRecord() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      TransportCipher[] ciphers = establish(c);
      byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] rec = ciphers[0].sealRecord(preface, 0, preface.length);
      c.out.write(rec);
      c.out.write(rec);
      c.out.flush();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseTheConnectionOnAnOversizedFrame() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      establish(c);
      c.out.write(new byte[] {NoiseMessages.TYPE_RECORD, 0x10, 0x00}); // 3 + 4096 bytes > 4096
      c.out.flush();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseTheConnectionOnANonRecordMessage() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      establish(c);
      c.out.write(new byte[] {NoiseMessages.TYPE_INITIATION, 0, 0});
      c.out.flush();
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldKeepServingOthersAfterAClientCutsARecordShort() throws Exception {
    try (RawControlClient c = new RawControlClient(server.port())) {
      TransportCipher[] ciphers = establish(c);
      byte[] rec = ciphers[0].sealRecord(new byte[100], 0, 100);
      c.out.write(rec, 0, 50);
      c.out.flush();
    }
    try (RawControlClient c = new RawControlClient(server.port())) {
      establish(c);
    }
  }

  @Test
  void shouldCloseAConnectionWithoutTrafficAfterTheIdleTimeout() throws Exception {
    try (ControlServer quick =
            new ControlServer(server.key, new MachineRouter(), java.time.Duration.ofMillis(400));
        RawControlClient c = new RawControlClient(quick.port())) {
      TestInitiator init = new TestInitiator(quick.key.publicKey(), 113, random);
      assertThat(c.upgrade(init.initiation())).startsWith("HTTP/1.1 101");
      long start = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start).toMillis())
          .isBetween(300L, 4000L);
    }
  }

  private int webSocketCloseCode(String query, String... subprotocols) throws Exception {
    java.util.concurrent.CompletableFuture<Integer> closed =
        new java.util.concurrent.CompletableFuture<>();
    java.net.http.WebSocket.Builder b =
        java.net.http.HttpClient.newHttpClient().newWebSocketBuilder();
    if (subprotocols.length > 0) {
      b =
          b.subprotocols(
              subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    b.buildAsync(
            java.net.URI.create("ws://" + server.address() + "/ts2021" + query),
            new java.net.http.WebSocket.Listener() {
              @Override
              public java.util.concurrent.CompletionStage<?> onClose(
                  java.net.http.WebSocket ws, int code, String reason) {
                closed.complete(code);
                return null;
              }

              @Override
              public void onError(java.net.http.WebSocket ws, Throwable error) {
                closed.completeExceptionally(error);
              }
            })
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    return closed.get(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void cannotOpenTheWebSocketVariantWithoutTheSubprotocolOrAValidHandshake() throws Exception {
    String init =
        java.net.URLEncoder.encode(
            java.util.Base64.getEncoder().encodeToString(initiator().initiation()),
            StandardCharsets.US_ASCII);
    assertThat(webSocketCloseCode("?X-Tailscale-Handshake=" + init)).isEqualTo(1008);
    assertThat(webSocketCloseCode("", "tailscale-control-protocol")).isEqualTo(1008);
    assertThat(webSocketCloseCode("?X-Tailscale-Handshake=%21%21", "tailscale-control-protocol"))
        .isEqualTo(1008);
    byte[] tampered = initiator().initiation();
    tampered[50] ^= 1;
    assertThat(
            webSocketCloseCode(
                "?X-Tailscale-Handshake="
                    + java.net.URLEncoder.encode(
                        java.util.Base64.getEncoder().encodeToString(tampered),
                        StandardCharsets.US_ASCII),
                "tailscale-control-protocol"))
        .isEqualTo(1008);
  }
}
