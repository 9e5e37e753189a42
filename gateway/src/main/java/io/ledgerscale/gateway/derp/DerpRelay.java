// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.noise.Curve25519;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.StreamConnection;

/**
 * The embedded relay: which connection holds which key, and forwarding between them. Connections
 * live on Undertow's XNIO I/O threads ({@link DerpConnection}); forwarding puts a packet on the
 * destination's bounded queue and wakes its thread, so nothing here blocks and no thread is held
 * per client.
 */
public final class DerpRelay {
  private final byte[] privateKey;
  private final byte[] publicKey;
  final DerpAdmission admission;
  final DerpMetrics metrics;
  final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<RelayKey, ClientSet> clients = new ConcurrentHashMap<>();
  // destination key -> keys that sent to it, told PeerGone when the destination leaves
  private final ConcurrentHashMap<RelayKey, Set<RelayKey>> senders = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Object lock = new Object();

  public DerpRelay(byte[] privateKey, DerpAdmission admission, DerpMetrics metrics) {
    this.privateKey = privateKey.clone();
    this.publicKey = Curve25519.publicKey(this.privateKey);
    this.admission = admission;
    this.metrics = metrics;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] privateKey() {
    return privateKey;
  }

  /** Takes over an upgraded connection: sends the server key and waits for the client's. */
  public void accept(StreamConnection connection) {
    DerpConnection.start(connection, this);
  }

  /** Connections that completed the handshake and were admitted. */
  public int connectedClients() {
    return connections.get();
  }

  /** Keys with at least one connection. */
  List<RelayKey> connectedKeys() {
    return List.copyOf(clients.keySet());
  }

  void register(DerpConnection c) {
    synchronized (lock) {
      clients.computeIfAbsent(c.key, k -> new ClientSet()).add(c);
    }
    connections.incrementAndGet();
  }

  void unregister(DerpConnection c) {
    boolean keyGone;
    synchronized (lock) {
      ClientSet set = clients.get(c.key);
      if (set == null) {
        return;
      }
      keyGone = set.remove(c);
      if (keyGone) {
        clients.remove(c.key);
      }
    }
    connections.decrementAndGet();
    if (!keyGone) {
      return;
    }
    for (RelayKey dst : c.sentTo) {
      Set<RelayKey> s = senders.get(dst);
      if (s != null) {
        s.remove(c.key);
      }
    }
    Set<RelayKey> told = senders.remove(c.key);
    if (told != null) {
      for (RelayKey src : told) {
        ClientSet set = clients.get(src);
        DerpConnection to = set == null ? null : set.active;
        if (to != null) {
          to.sendControl(OutFrames.peerGone(c.key, FrameType.PEER_GONE_DISCONNECTED));
        }
      }
    }
  }

  /** A dup connection that sends becomes the one its key's packets go to. */
  void noteSend(DerpConnection c) {
    synchronized (lock) {
      ClientSet set = clients.get(c.key);
      if (set != null && set.active != c && !c.isClosed()) {
        set.active = c;
      }
    }
  }

  /** Relays a client's SendPacket frame (validated by the parser) to its destination. */
  void send(DerpConnection from, byte[] frame) {
    RelayKey dst = RelayKey.of(frame, FrameType.HEADER);
    int packetBytes = frame.length - FrameType.HEADER - FrameType.KEY;
    ClientSet set = clients.get(dst);
    DerpConnection to = set == null ? null : set.active;
    if (to == null) {
      metrics.dropped(DropReason.UNKNOWN_DEST, packetBytes);
      if (Disco.looksLikeDisco(frame, FrameType.HEADER + FrameType.KEY)) {
        from.peerGoneNotHere(dst);
      }
      return;
    }
    if (from.duplicate) {
      noteSend(from);
    }
    if (from.sentTo.add(dst)) {
      senders.computeIfAbsent(dst, k -> ConcurrentHashMap.newKeySet()).add(from.key);
    }
    boolean disco = Disco.looksLikeDisco(frame, FrameType.HEADER + FrameType.KEY);
    to.sendPacket(OutFrames.recvPacketInPlace(frame, from.key), disco);
  }

  /** Closes every connection of {@code key} (its node was deleted or expired). */
  void closeKey(RelayKey key) {
    ClientSet set = clients.get(key);
    if (set == null) {
      return;
    }
    List<DerpConnection> all;
    synchronized (lock) {
      all = set.snapshot();
    }
    all.forEach(DerpConnection::closeSoon);
  }

  /** Closes every connection (shutdown). */
  public void closeAll() {
    connectedKeys().forEach(this::closeKey);
  }
}
