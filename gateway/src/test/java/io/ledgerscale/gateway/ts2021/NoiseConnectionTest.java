// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.TestInitiator;
import io.ledgerscale.gateway.noise.TransportCipher;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.RawControlClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Noise connection under HTTP/2 as a whole: bursts larger than any buffer on the way, and what
 * a session costs the server in file descriptors.
 */
class NoiseConnectionTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int FRAME_HEADER = 9;
  private static final byte PING = 6;

  private final SecureRandom random = new SecureRandom();
  private ControlServer server;

  @BeforeEach
  void start() {
    server = new ControlServer(new MachineRouter());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Upgrades and completes the handshake, skipping the early payload; returns {send, receive}. */
  private TransportCipher[] establish(RawControlClient c) throws Exception {
    TestInitiator init = new TestInitiator(server.key.publicKey(), 113, random);
    assertThat(c.upgrade(init.initiation())).startsWith("HTTP/1.1 101");
    TransportCipher[] ciphers = init.finish(c.readExactly(NoiseMessages.RESPONSE_SIZE));
    readRecord(c, ciphers[1]);
    return ciphers;
  }

  private static byte[] readRecord(RawControlClient c, TransportCipher in) throws Exception {
    byte[] hdr = c.readExactly(NoiseMessages.HEADER_SIZE);
    assertThat(hdr).hasSize(NoiseMessages.HEADER_SIZE);
    int len = ((hdr[1] & 0xff) << 8) | (hdr[2] & 0xff);
    return in.open(c.readExactly(len), 0, len);
  }

  private static void frame(ByteArrayOutputStream out, int type, int flags, byte[] payload) {
    int n = payload.length;
    out.writeBytes(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type});
    out.writeBytes(new byte[] {(byte) flags, 0, 0, 0, 0});
    out.writeBytes(payload);
  }

  @Test
  void shouldAnswerEveryPingOfABurstLargerThanTheServersReadBuffer() throws Exception {
    int pings = 3000; // 51 KB of frames, in 13 records sent at once
    try (RawControlClient c = new RawControlClient(server.port())) {
      TransportCipher[] ciphers = establish(c);
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      plain.writeBytes(PREFACE);
      frame(plain, 4, 0, new byte[0]);
      for (int i = 0; i < pings; i++) {
        frame(plain, PING, 0, ByteBuffer.allocate(8).putLong(i).array());
      }
      byte[] all = plain.toByteArray();
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (int at = 0; at < all.length; at += NoiseMessages.MAX_PLAINTEXT_SIZE) {
        int len = Math.min(NoiseMessages.MAX_PLAINTEXT_SIZE, all.length - at);
        wire.writeBytes(ciphers[0].sealRecord(all, at, len));
      }
      // written from another thread: the server answers while the burst is still arriving
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  c.out.write(wire.toByteArray());
                  c.out.flush();
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });

      List<Long> acked = new ArrayList<>();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      int parsed = 0;
      while (acked.size() < pings) {
        received.writeBytes(readRecord(c, ciphers[1]));
        byte[] r = received.toByteArray();
        while (r.length - parsed >= FRAME_HEADER) {
          int len =
              ((r[parsed] & 0xff) << 16) | ((r[parsed + 1] & 0xff) << 8) | (r[parsed + 2] & 0xff);
          if (r.length - parsed < FRAME_HEADER + len) {
            break;
          }
          if (r[parsed + 3] == PING && (r[parsed + 4] & 1) == 1) {
            acked.add(ByteBuffer.wrap(r, parsed + FRAME_HEADER, 8).getLong());
          }
          parsed += FRAME_HEADER + len;
        }
      }
      sent.join();
      assertThat(acked).hasSize(pings);
      for (int i = 0; i < pings; i++) {
        assertThat(acked.get(i)).as("ack %d", i).isEqualTo(i);
      }
    }
  }

  @Test
  void shouldHoldOneFileDescriptorPerSessionOnTheServer() throws Exception {
    int sessions = 40;
    long before = openFiles();
    List<RawControlClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < sessions; i++) {
        RawControlClient c = new RawControlClient(server.port());
        clients.add(c);
        TransportCipher[] ciphers = establish(c);
        c.out.write(ciphers[0].sealRecord(PREFACE, 0, PREFACE.length));
        c.out.flush();
      }
      long added = openFiles() - before;
      // each session: the client's socket and the server's; a pipe to HTTP/2 would add four more
      assertThat(added).as("descriptors for %d sessions", sessions).isLessThan(3L * sessions);
      assertThat(added).isGreaterThanOrEqualTo(2L * sessions);
    } finally {
      for (RawControlClient c : clients) {
        c.close();
      }
    }
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
