// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One client's DERP connection after the HTTP upgrade, driven by non-blocking XNIO listeners on the
 * connection's I/O thread: reading, the handshake and writing all run there, so only the send
 * queues ({@link DerpWriter}, which other clients' threads fill) are shared. Any protocol violation
 * closes this connection and nothing else.
 *
 * <p>Handshake: the server writes ServerKey; the first client frame must be ClientInfo, within 10
 * s; once its box opens with the claimed key, admission is asked off the I/O thread, and only on
 * ALLOW does the connection join the relay and get its ServerInfo.
 */
final class DerpConnection {
  private static final Logger log = LoggerFactory.getLogger(DerpConnection.class);
  private static final long HANDSHAKE_SECONDS = 10;
  private static final long KEEP_ALIVE_MILLIS = 60_000;
  private static final long KEEP_ALIVE_JITTER_MILLIS = 5_000;
  private static final int MAX_READS_PER_EVENT = 16;
  private static final int READ_BUFFER = 64 << 10;
  private static final int MAX_EARLY_FRAMES = 32;
  // after Restarting: how long the client has to read it and hang up before the server does
  private static final long GOING_AWAY_MILLIS = 1_000;
  // one read buffer per I/O thread: a listener consumes all it reads before returning
  private static final ThreadLocal<ByteBuffer> READ =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_BUFFER));

  private enum State {
    AWAIT_CLIENT_INFO,
    ADMITTING,
    OPEN,
    CLOSED
  }

  private final StreamConnection net;
  private final DerpRelay relay;
  private final FrameParser parser = new FrameParser();
  private State state = State.AWAIT_CLIENT_INFO;
  private volatile boolean closed;
  RelayKey key;
  volatile boolean duplicate;
  private boolean preferred;

  /** Presented the deployment's mesh key: another instance's relay, not a tailnet node. */
  private boolean mesh;

  final Set<RelayKey> sentTo = ConcurrentHashMap.newKeySet();
  private List<byte[]> early;
  private XnioExecutor.Key handshakeTimer;
  private XnioExecutor.Key keepAliveTimer;

  // outgoing: any thread queues, the I/O thread writes
  private final DerpWriter out;
  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  private long peerGoneTokens = 3;
  private long peerGoneRefill = System.nanoTime();

  private DerpConnection(StreamConnection net, DerpRelay relay) {
    this.net = net;
    this.relay = relay;
    this.out = new DerpWriter(relay.metrics, this::scheduleWrite);
  }

  static void start(StreamConnection net, DerpRelay relay) {
    DerpConnection c = new DerpConnection(net, relay);
    net.getSourceChannel().setReadListener(c::onReadable);
    net.getSinkChannel().setWriteListener(ch -> c.flush());
    net.setCloseListener(x -> c.close());
    c.handshakeTimer =
        net.getIoThread()
            .executeAfter(
                () -> {
                  if (c.state == State.AWAIT_CLIENT_INFO || c.state == State.ADMITTING) {
                    log.debug("DERP client {} did not finish its handshake", c.peer());
                    c.close();
                  }
                },
                HANDSHAKE_SECONDS,
                TimeUnit.SECONDS);
    c.sendControl(OutFrames.serverKey(relay.publicKey()));
    net.getSourceChannel().resumeReads();
    // bytes that came with the upgrade request may already be buffered
    net.getSourceChannel().wakeupReads();
  }

  boolean isClosed() {
    return closed;
  }

  boolean isOpen() {
    return state == State.OPEN && !closed;
  }

  private Object peer() {
    return net.getPeerAddress();
  }

  InetSocketAddress peerAddress() {
    return net.getPeerAddress(InetSocketAddress.class);
  }

  // reading

  private void onReadable(ConduitStreamSourceChannel ch) {
    ByteBuffer buf = READ.get();
    try {
      for (int i = 0; i < MAX_READS_PER_EVENT && !closed; i++) {
        buf.clear();
        int n = ch.read(buf);
        if (n == 0) {
          return;
        }
        if (n < 0) {
          close();
          return;
        }
        buf.flip();
        parser.feed(buf, this::onFrame);
      }
      if (!closed) {
        ch.wakeupReads();
      }
    } catch (DerpProtocolException e) {
      relay.metrics.countProtocolError();
      log.debug("closing DERP connection from {}: {}", peer(), e.getMessage());
      close();
    } catch (IOException e) {
      close();
    }
  }

  private void onFrame(byte type, byte[] frame) throws DerpProtocolException {
    switch (state) {
      case AWAIT_CLIENT_INFO -> {
        if (type != FrameType.CLIENT_INFO) {
          throw new DerpProtocolException("first frame is not ClientInfo");
        }
        clientInfo(frame);
      }
      case ADMITTING -> {
        if (type == FrameType.CLIENT_INFO) {
          throw new DerpProtocolException("second ClientInfo");
        }
        if (early.size() < MAX_EARLY_FRAMES) {
          early.add(frame);
        } else if (type == FrameType.SEND_PACKET) {
          relay.metrics.dropped(
              DropReason.HANDSHAKE, frame.length - FrameType.HEADER - FrameType.KEY);
        }
      }
      case OPEN -> {
        if (!out.goingAway()) {
          serve(type, frame);
        }
      }
      case CLOSED -> {}
    }
  }

  private void clientInfo(byte[] frame) throws DerpProtocolException {
    RelayKey claimed = RelayKey.of(frame, FrameType.HEADER);
    byte[] shared = NaclBox.sharedKey(relay.privateKey(), claimed.bytes());
    if (shared == null) {
      throw new DerpProtocolException("client key is a low-order point");
    }
    int boxAt = FrameType.HEADER + FrameType.KEY;
    byte[] json = NaclBox.open(shared, frame, boxAt, frame.length - boxAt);
    if (json == null) {
      throw new DerpProtocolException("ClientInfo box does not open with the claimed key");
    }
    ClientInfo info = ClientInfo.parse(json);
    key = claimed;
    if (info.meshKey() != null && !info.meshKey().isEmpty()) {
      if (!relay.isMeshKey(info.meshKey())) {
        // a tailnet client never sends one: a wrong key is a misconfigured peer or a guess
        relay.metrics.countRefused();
        log.warn("DERP client {} offered a mesh key that is not this deployment's", peer());
        close();
        return;
      }
      // another instance's relay: not a tailnet node, so not asked about (as Tailscale's derper)
      mesh = true;
      out.meshPeer();
      state = State.ADMITTING;
      early = new ArrayList<>();
      admitted(true, shared);
      return;
    }
    state = State.ADMITTING;
    early = new ArrayList<>();
    relay
        .admission
        .check(key.nodeKeyText())
        .whenComplete(
            (verdict, err) ->
                onIoThread(
                    () -> admitted(err == null && verdict == DerpAdmission.Verdict.ALLOW, shared)));
  }

  private void admitted(boolean allowed, byte[] shared) {
    if (closed) {
      return;
    }
    if (!allowed) {
      relay.metrics.countRefused();
      log.debug("DERP client {} ({}) not admitted", key, peer());
      close();
      return;
    }
    if (relay.isStopping()) {
      // admitted while the relay closes: it would miss the Restarting the others were sent
      close();
      return;
    }
    if (handshakeTimer != null) {
      handshakeTimer.remove();
    }
    byte[] serverInfo = "{\"version\":2}".getBytes(StandardCharsets.UTF_8);
    sendControl(OutFrames.serverInfo(NaclBox.seal(shared, serverInfo, relay.random)));
    state = State.OPEN;
    if (mesh) {
      log.info("DERP mesh peer connected from {}", peer());
    } else {
      relay.register(this);
    }
    scheduleKeepAlive();
    List<byte[]> held = early;
    early = null;
    try {
      for (byte[] f : held) {
        if (!closed) {
          serve(f[0], f);
        }
      }
    } catch (DerpProtocolException e) {
      relay.metrics.countProtocolError();
      log.debug("closing DERP connection from {}: {}", peer(), e.getMessage());
      close();
    }
  }

  private void serve(byte type, byte[] frame) throws DerpProtocolException {
    switch (type) {
      case FrameType.SEND_PACKET -> {
        if (mesh) {
          throw new DerpProtocolException("SendPacket from a mesh peer");
        }
        relay.send(this, frame);
      }
      case FrameType.NOTE_PREFERRED -> preferred = frame[FrameType.HEADER] != 0;
      case FrameType.PING -> sendControl(OutFrames.pong(frame));
      case FrameType.PONG -> {}
      case FrameType.FORWARD_PACKET, FrameType.WATCH_CONNS, FrameType.CLOSE_PEER -> {
        if (!mesh) {
          throw new DerpProtocolException("mesh frame from a client that is not a mesh peer");
        }
        mesh(type, frame);
      }
      default -> throw new DerpProtocolException("unexpected frame type " + type);
    }
  }

  private void mesh(byte type, byte[] frame) {
    switch (type) {
      case FrameType.FORWARD_PACKET -> relay.forwarded(frame);
      case FrameType.WATCH_CONNS -> relay.addWatcher(this);
      default -> {
        RelayKey target = RelayKey.of(frame, FrameType.HEADER);
        log.info("DERP mesh peer {} asks to close {}", peer(), target);
        relay.closeKey(target);
      }
    }
  }

  /**
   * Queues a PeerPresent or PeerGone for this watching mesh peer, replacing one not yet sent for
   * the same key. A peer that does not read while thousands of keys change is closed: it reconnects
   * and is sent the whole state again.
   */
  void meshUpdate(RelayKey peer, byte[] frame) {
    if (out.meshUpdate(peer, frame)) {
      log.warn("DERP mesh peer {} does not keep up with connection changes; closing", peer());
      closeSoon();
      return;
    }
    scheduleWrite();
  }

  private void scheduleKeepAlive() {
    long delay = KEEP_ALIVE_MILLIS + ThreadLocalRandom.current().nextLong(KEEP_ALIVE_JITTER_MILLIS);
    keepAliveTimer =
        net.getIoThread()
            .executeAfter(
                () -> {
                  if (!closed) {
                    sendControl(OutFrames.keepAlive());
                    scheduleKeepAlive();
                  }
                },
                delay,
                TimeUnit.MILLISECONDS);
  }

  /** PeerGone(NotHere) for a disco packet to an absent key, at most ~1/s as Tailscale's server. */
  void peerGoneNotHere(RelayKey dst) {
    long now = System.nanoTime();
    long refill = (now - peerGoneRefill) / 1_000_000_000L;
    if (refill > 0) {
      peerGoneTokens = Math.min(3, peerGoneTokens + refill);
      peerGoneRefill = now;
    }
    if (peerGoneTokens > 0) {
      peerGoneTokens--;
      sendControl(OutFrames.peerGone(dst, FrameType.PEER_GONE_NOT_HERE));
    }
  }

  // writing (any thread enqueues; the I/O thread writes)

  void sendControl(ByteBuffer frame) {
    if (closed) {
      return;
    }
    if (out.control(frame)) {
      scheduleWrite();
    }
  }

  void sendPacket(byte[] frame, boolean isDisco) {
    if (closed) {
      relay.metrics.dropped(
          DropReason.GONE_DISCONNECTED, frame.length - FrameType.HEADER - FrameType.KEY);
      return;
    }
    out.packet(frame, isDisco);
    scheduleWrite();
  }

  private void scheduleWrite() {
    if (writeScheduled.compareAndSet(false, true)) {
      onIoThread(
          () -> {
            writeScheduled.set(false);
            flush();
          });
    }
  }

  /** Runs {@code task} on this connection's I/O thread; nothing when the server is stopping. */
  private void onIoThread(Runnable task) {
    try {
      net.getIoThread().execute(task);
    } catch (RejectedExecutionException stopping) {
      // the worker is shutting down and closes every connection itself
    }
  }

  /**
   * Sends {@code last} (Restarting) ahead of anything queued, then shuts the write side, so the
   * client reads it before the end of the stream; the connection closes when the client hangs up or
   * after {@link #GOING_AWAY_MILLIS}. Packets still queued are not sent. Any thread.
   */
  void goAway(ByteBuffer last) {
    if (closed) {
      return;
    }
    out.last(last);
    scheduleWrite();
    try {
      net.getIoThread().executeAfter(this::close, GOING_AWAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // the worker is shutting down and closes every connection itself
    }
  }

  private void flush() {
    if (closed) {
      return;
    }
    try {
      out.flush(net.getSinkChannel());
    } catch (IOException e) {
      close();
    }
  }

  /** Closes from any thread. */
  void closeSoon() {
    onIoThread(this::close);
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean wasOpen = state == State.OPEN;
    state = State.CLOSED;
    if (handshakeTimer != null) {
      handshakeTimer.remove();
    }
    if (keepAliveTimer != null) {
      keepAliveTimer.remove();
    }
    IoUtils.safeClose(net);
    if (wasOpen && mesh) {
      relay.removeWatcher(this);
      out.clearMeshUpdates();
      log.info("DERP mesh peer {} disconnected", peer());
    } else if (wasOpen) {
      relay.unregister(this);
    }
    out.clear();
  }

  boolean preferred() {
    return preferred;
  }
}
