// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.noise.Curve25519;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
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
 *
 * <p>Meshed with other instances (docs/adr/0006), as Tailscale's derper: a peer instance that
 * presents the mesh key may watch this relay's connections (PeerPresent/PeerGone) and hand it
 * packets (ForwardPacket) for clients connected here; this relay's own {@link MeshPeer}s watch the
 * others, so a packet for a key connected to another instance goes there. Local clients win over
 * remote ones, and a forwarded packet is never forwarded again.
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
  private final MeshKey meshKey;
  // mesh peers' connections that asked for WatchConns; changed under lock
  private final Set<DerpConnection> watchers = ConcurrentHashMap.newKeySet();
  // keys connected to other instances -> the mesh links that announced them (last one wins)
  private final ConcurrentHashMap<RelayKey, List<MeshPeer>> remote = new ConcurrentHashMap<>();

  public DerpRelay(byte[] privateKey, DerpAdmission admission, DerpMetrics metrics) {
    this(privateKey, admission, metrics, null);
  }

  /**
   * @param meshKey the deployment's mesh key, or null: then no connection can be a mesh peer
   */
  public DerpRelay(
      byte[] privateKey, DerpAdmission admission, DerpMetrics metrics, MeshKey meshKey) {
    this.privateKey = privateKey.clone();
    this.publicKey = Curve25519.publicKey(this.privateKey);
    this.admission = admission;
    this.metrics = metrics;
    this.meshKey = meshKey;
  }

  /** Whether a ClientInfo's {@code meshKey} is this deployment's (constant time). */
  boolean isMeshKey(String offered) {
    return meshKey != null && meshKey.matches(offered);
  }

  MeshKey meshKey() {
    return meshKey;
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
      byte[] present = OutFrames.peerPresent(c.key, c.peerAddress());
      watchers.forEach(w -> w.meshUpdate(c.key, present));
    }
    connections.incrementAndGet();
  }

  /**
   * A mesh peer's WatchConns: it is told of every key connected here now, then of each change. Its
   * own connection (a peer that turns out to be this instance) is not watched.
   */
  void addWatcher(DerpConnection w) {
    if (w.key.equals(RelayKey.of(publicKey, 0))) {
      return;
    }
    synchronized (lock) {
      clients.forEach(
          (k, set) -> {
            DerpConnection active = set.active;
            if (active != null) {
              w.meshUpdate(k, OutFrames.peerPresent(k, active.peerAddress()));
            }
          });
      watchers.add(w);
    }
  }

  void removeWatcher(DerpConnection w) {
    synchronized (lock) {
      watchers.remove(w);
    }
  }

  /** Mesh peers' connections that watch this relay. */
  public int meshWatchers() {
    return watchers.size();
  }

  final AtomicInteger meshLinks = new AtomicInteger();

  /** This instance's {@link MeshPeer} links that are connected and watching. */
  public int meshLinksUp() {
    return meshLinks.get();
  }

  /** Keys connected to other instances, as their relays announced them. */
  public int remoteClients() {
    return remote.size();
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
        byte[] gone = OutFrames.peerGoneFrame(c.key, FrameType.PEER_GONE_DISCONNECTED);
        watchers.forEach(w -> w.meshUpdate(c.key, gone));
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
    if (!remote.containsKey(c.key)) {
      tellSendersGone(c.key);
    }
  }

  /** PeerGone(Disconnected) to the local clients that sent to {@code key}, gone from the region. */
  private void tellSendersGone(RelayKey key) {
    Set<RelayKey> told = senders.remove(key);
    if (told != null) {
      for (RelayKey src : told) {
        ClientSet set = clients.get(src);
        DerpConnection to = set == null ? null : set.active;
        if (to != null) {
          to.sendControl(OutFrames.peerGone(key, FrameType.PEER_GONE_DISCONNECTED));
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
    if (to == null && set == null) {
      // mesh forwarding only when no connection of the key is here: local clients win
      MeshPeer via = forwarderFor(dst);
      if (via != null) {
        if (from.duplicate) {
          noteSend(from);
        }
        if (from.sentTo.add(dst)) {
          senders.computeIfAbsent(dst, k -> ConcurrentHashMap.newKeySet()).add(from.key);
        }
        metrics.forwardedOut();
        via.forward(from.key, frame);
        return;
      }
    }
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

  private MeshPeer forwarderFor(RelayKey dst) {
    List<MeshPeer> via = remote.get(dst);
    return via == null || via.isEmpty() ? null : via.get(via.size() - 1);
  }

  /**
   * A mesh peer's ForwardPacket (validated by the parser): delivered to a client connected here,
   * never forwarded again.
   */
  void forwarded(byte[] frame) {
    RelayKey src = RelayKey.of(frame, FrameType.HEADER);
    RelayKey dst = RelayKey.of(frame, FrameType.HEADER + FrameType.KEY);
    int packetAt = FrameType.HEADER + 2 * FrameType.KEY;
    int packetBytes = frame.length - packetAt;
    metrics.forwardedIn();
    ClientSet set = clients.get(dst);
    DerpConnection to = set == null ? null : set.active;
    if (to == null) {
      metrics.dropped(DropReason.UNKNOWN_DEST_ON_FWD, packetBytes);
      return;
    }
    // one copy: the RecvPacket is 32 bytes shorter than the ForwardPacket it comes from
    byte[] recv = OutFrames.recvPacket(src, frame, packetAt, packetBytes);
    to.sendPacket(recv, Disco.looksLikeDisco(frame, packetAt));
  }

  /** {@code via} announced {@code key} connected to its instance (PeerPresent). */
  void remoteAdded(RelayKey key, MeshPeer via) {
    synchronized (lock) {
      List<MeshPeer> now = new ArrayList<>(remote.getOrDefault(key, List.of()));
      now.remove(via);
      now.add(via);
      remote.put(key, List.copyOf(now));
    }
  }

  /** {@code via} announced {@code key} gone from its instance (PeerGone), or went away itself. */
  void remoteRemoved(RelayKey key, MeshPeer via) {
    boolean goneFromRegion;
    synchronized (lock) {
      List<MeshPeer> was = remote.get(key);
      if (was == null || !was.contains(via)) {
        return;
      }
      List<MeshPeer> now = new ArrayList<>(was);
      now.remove(via);
      if (now.isEmpty()) {
        remote.remove(key);
      } else {
        remote.put(key, List.copyOf(now));
      }
      goneFromRegion = now.isEmpty() && !clients.containsKey(key);
    }
    if (goneFromRegion) {
      tellSendersGone(key);
    }
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

  /**
   * Graceful stop: every client and watching mesh peer is sent Restarting (reconnect in a random
   * 0-{@value #RESTART_SMEAR_MILLIS} ms, so they do not all land on the next instance at once; try
   * for {@value #RESTART_TRY_FOR_MILLIS} ms, "a few seconds" as Tailscale's client documents it),
   * then its connection is closed. Waits until they are closed, at most {@code wait}; connections
   * admitted from now on are closed at once.
   */
  public void closeAll(Duration wait) {
    stopping = true;
    List<DerpConnection> all = new ArrayList<>();
    synchronized (lock) {
      clients.values().forEach(set -> all.addAll(set.snapshot()));
      all.addAll(watchers);
    }
    for (DerpConnection c : all) {
      int reconnectIn = random.nextInt(RESTART_SMEAR_MILLIS);
      c.goAway(OutFrames.restarting(reconnectIn, RESTART_TRY_FOR_MILLIS));
    }
    long until = System.nanoTime() + wait.toNanos();
    while (all.stream().anyMatch(c -> !c.isClosed()) && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static final int RESTART_SMEAR_MILLIS = 2_000;
  static final int RESTART_TRY_FOR_MILLIS = 5_000;
  private volatile boolean stopping;

  boolean isStopping() {
    return stopping;
  }

  /**
   * The relay's health as its clients are told it (Health frame; "" is healthy). Changed only by
   * {@link #judgeHealth}; each change goes to every connected client once.
   */
  private String health = "";

  static final String CANNOT_VERIFY =
      "the relay cannot verify clients now (node records unreadable): new connections are refused";

  /**
   * One admission sweep's outcome over the connected keys: when not one of them could be decided
   * (every check failed or timed out) the relay cannot admit anyone, which its clients are told;
   * the first round that decides any key clears it. A round over no keys has no one to tell: it
   * forgets the problem, so the clients of a later round are not told it cleared.
   */
  void judgeHealth(int decided, int undecided) {
    String now = decided == 0 && undecided > 0 ? CANNOT_VERIFY : "";
    if (decided + undecided == 0) {
      synchronized (lock) {
        health = now;
      }
      return;
    }
    List<DerpConnection> tell = new ArrayList<>();
    synchronized (lock) {
      if (now.equals(health)) {
        return;
      }
      health = now;
      clients.values().forEach(set -> tell.addAll(set.snapshot()));
    }
    for (DerpConnection c : tell) {
      c.sendControl(OutFrames.health(now));
    }
  }
}
