// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.machine.WhoamiHandler;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.TestInitiator;
import io.ledgerscale.gateway.noise.TransportCipher;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.RawControlClient;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Noise sessions cost their client one handshake and hold server fds: they end when idle, and one
 * source cannot hold more than its share.
 */
class NoiseSessionLimitsTest {
  private final SecureRandom random = new SecureRandom();
  private final ServerMachineKey key = new ServerMachineKey(Curve25519.generatePrivate(random));

  private static ResourceLimits limits(Duration handshake, Duration idle, int perSource) {
    ResourceLimits d = ResourceLimits.defaults();
    return new ResourceLimits(
        d.requestHeaderTimeout(),
        d.noRequestTimeout(),
        d.connectionIdleTimeout(),
        handshake,
        idle,
        0,
        perSource,
        d.registrationsPerMinutePerSource(),
        d.registrationBurstPerSource(),
        d.maxPendingRegistrations(),
        d.maxPendingRegistrationsPerSource());
  }

  private ControlServer server(ResourceLimits limits) {
    return new ControlServer(
        key, new MachineRouter().add(Methods.GET, "/machine/whoami", new WhoamiHandler()), limits);
  }

  /** Upgrades and reads the Noise response and the early payload; returns {send, receive}. */
  private TransportCipher[] establish(RawControlClient c) throws Exception {
    TestInitiator init = new TestInitiator(key.publicKey(), 113, random);
    assertThat(c.upgrade(init.initiation())).startsWith("HTTP/1.1 101");
    TransportCipher[] ciphers = init.finish(c.readExactly(NoiseMessages.RESPONSE_SIZE));
    byte[] hdr = c.readExactly(3);
    c.readExactly(((hdr[1] & 0xff) << 8) | (hdr[2] & 0xff));
    return ciphers;
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(payload.length >>> 16);
    f.write(payload.length >>> 8);
    f.write(payload.length);
    f.write(type);
    f.write(flags);
    f.write(stream >>> 24);
    f.write(stream >>> 16);
    f.write(stream >>> 8);
    f.write(stream);
    f.writeBytes(payload);
    return f.toByteArray();
  }

  /** GET /machine/whoami as one HEADERS frame (HPACK: static-table names, literal values). */
  private static byte[] whoami() {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(0x82); // :method GET
    h.write(0x87); // :scheme https
    byte[] path = "/machine/whoami".getBytes(StandardCharsets.US_ASCII);
    h.write(0x04); // :path, literal value
    h.write(path.length);
    h.writeBytes(path);
    h.write(0x01); // :authority, literal value
    h.write(1);
    h.write('x');
    return frame(1, 0x05, 1, h.toByteArray()); // END_STREAM | END_HEADERS
  }

  private static void send(RawControlClient c, TransportCipher out, byte[]... frames)
      throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      all.writeBytes(f);
    }
    byte[] plain = all.toByteArray();
    c.out.write(out.sealRecord(plain, 0, plain.length));
    c.out.flush();
  }

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void shouldCloseASessionThatMakesNoRequestAfterTheHandshakeTimeout() throws Exception {
    try (ControlServer s = server(limits(Duration.ofMillis(500), Duration.ofMinutes(5), 0));
        RawControlClient c = new RawControlClient(s.port())) {
      TransportCipher[] ciphers = establish(c);
      // an HTTP/2 preface and SETTINGS are traffic, not a request
      send(c, ciphers[0], PREFACE, frame(4, 0, 0, new byte[0]));
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseASessionWithoutAnOpenRequestEvenWhileItSendsPings() throws Exception {
    try (ControlServer s = server(limits(Duration.ofSeconds(30), Duration.ofMillis(600), 0));
        RawControlClient c = new RawControlClient(s.port())) {
      TransportCipher[] ciphers = establish(c);
      send(c, ciphers[0], PREFACE, frame(4, 0, 0, new byte[0]), whoami());
      AtomicBoolean stop = new AtomicBoolean();
      Thread pinger =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    // PINGs cost the client nothing: they must not keep an unused session open
                    send(c, ciphers[0], frame(6, 0, 0, new byte[8]));
                    Thread.sleep(100);
                  }
                } catch (Exception closed) {
                  // the server closed the connection: what this test waits for
                }
              });
      pinger.start();
      try {
        assertThat(c.closedByServer()).isTrue();
      } finally {
        stop.set(true);
        pinger.join();
      }
    }
  }

  @Test
  void shouldRefuseSessionsOverThePerSourceCapAndAdmitAgainOnceOneCloses() throws Exception {
    try (ControlServer s = server(limits(Duration.ofSeconds(30), Duration.ofMinutes(5), 3))) {
      List<RawControlClient> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawControlClient c = new RawControlClient(s.port());
          held.add(c);
          establish(c);
        }
        try (RawControlClient over = new RawControlClient(s.port())) {
          String head = over.upgrade(new TestInitiator(key.publicKey(), 113, random).initiation());
          assertThat(head).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after:");
        }
        held.remove(0).close();
        // the server sees the close on its I/O thread; the slot comes back then
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
          try (RawControlClient again = new RawControlClient(s.port())) {
            String head =
                again.upgrade(new TestInitiator(key.publicKey(), 113, random).initiation());
            if (head.startsWith("HTTP/1.1 101")) {
              break;
            }
            assertThat(System.nanoTime()).as("slot never came back: " + head).isLessThan(deadline);
          }
          Thread.sleep(50);
        }
      } finally {
        for (RawControlClient c : held) {
          close(c);
        }
      }
    }
  }

  private static void close(RawControlClient c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
