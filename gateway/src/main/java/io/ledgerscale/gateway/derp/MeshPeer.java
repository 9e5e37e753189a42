// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's link to another instance's relay, as Tailscale's derper meshes ({@code
 * --mesh-with}): it connects to the peer's {@code /derp} with this relay's own key, presents the
 * mesh key in its ClientInfo, sends WatchConns, and from the PeerPresent/PeerGone frames it is sent
 * learns which keys are connected there; packets this relay's clients send to those keys go over
 * the link as ForwardPacket frames. It reconnects with backoff while the server runs; while it is
 * down the keys it announced are forgotten, so their packets count as unknown destinations.
 *
 * <p>Two threads per peer instance (reading, writing), not per client: instances are few. The queue
 * towards the peer is bounded ({@link #QUEUE_DEPTH} packets, oldest dropped first), so the I/O
 * threads that hand packets over never wait on the network.
 */
public final class MeshPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshPeer.class);
  static final int QUEUE_DEPTH = 256;
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  // the peer sends KeepAlive every 60-65 s; two missed mean the link is dead
  private static final int READ_TIMEOUT_MILLIS = 135_000;
  private static final int MAX_HEAD = 8 << 10;
  private static final int MAX_FRAME = 2 * FrameType.KEY + FrameType.MAX_PACKET + 1024;
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final DerpRelay relay;
  private final URI url;
  private final String name;
  private final ArrayBlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_DEPTH);
  // keys this link announced, so they are forgotten when it goes down; reader thread only
  private final Set<RelayKey> announced = new HashSet<>();
  private final Thread reader;
  private volatile boolean closed;
  private volatile boolean self;
  private volatile Socket socket;

  private record Item(RelayKey source, byte[] sendPacketFrame) {}

  private MeshPeer(DerpRelay relay, URI url) {
    this.relay = relay;
    this.url = url;
    this.name = url.getHost() + ":" + port(url);
    this.reader = new Thread(this::run, "derp-mesh-" + name);
    reader.setDaemon(true);
  }

  /**
   * Starts linking {@code relay} to the relay at {@code url} (http or https; {@code /derp} when the
   * URL has no path). The relay must have a mesh key.
   */
  public static MeshPeer start(DerpRelay relay, URI url) {
    if (relay.meshKey() == null) {
      throw new IllegalStateException("meshing needs a mesh key");
    }
    MeshPeer p = new MeshPeer(relay, url);
    p.reader.start();
    return p;
  }

  /** The peer as host:port (never the key). */
  public String name() {
    return name;
  }

  /** Whether the peer turned out to be this very relay (its key is ours): then it is not used. */
  public boolean isSelf() {
    return self;
  }

  private static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  /** Hands a client's SendPacket frame to the peer; never blocks. */
  void forward(RelayKey source, byte[] sendPacketFrame) {
    Item item = new Item(source, sendPacketFrame);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (queue.offer(item)) {
        return;
      }
      Item dropped = queue.poll();
      if (dropped != null) {
        relay.metrics.dropped(DropReason.MESH_QUEUE, packetBytes(dropped));
      }
    }
    relay.metrics.dropped(DropReason.MESH_QUEUE, packetBytes(item));
  }

  private static int packetBytes(Item i) {
    return i.sendPacketFrame.length - FrameType.HEADER - FrameType.KEY;
  }

  // the link: connect, watch, read until it breaks, forget, wait, again

  private void run() {
    long backoff = 500;
    // a peer that is away is reported once, not at every retry
    boolean reported = false;
    while (!closed && !self) {
      boolean wasUp = false;
      Thread writer = null;
      try (Socket s = connect()) {
        socket = s;
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 << 10);
        upgrade(in, out);
        byte[] serverKey = serverKey(in);
        if (Arrays.equals(serverKey, relay.publicKey())) {
          self = true;
          log.info(
              "DERP mesh peer {} presents this instance's own relay key: it is this instance"
                  + " (or shares its key); not meshing with it",
              name);
          return;
        }
        hello(out, serverKey);
        serverInfo(in, serverKey);
        out.write(OutFrames.watchConns());
        out.flush();
        log.info("DERP mesh link to {} is up", name);
        wasUp = true;
        reported = false;
        backoff = 500;
        relay.meshLinks.incrementAndGet();
        writer = new Thread(() -> write(out), "derp-mesh-" + name + "-write");
        writer.setDaemon(true);
        writer.start();
        read(in);
      } catch (IOException | DerpProtocolException e) {
        if (!closed && !reported) {
          log.warn("DERP mesh link to {} is down (retrying): {}", name, e.getMessage());
          reported = true;
        } else if (!closed) {
          log.debug("DERP mesh link to {}: {}", name, e.getMessage());
        }
      } finally {
        socket = null;
        if (writer != null) {
          writer.interrupt();
          joinQuietly(writer);
        }
        if (wasUp) {
          relay.meshLinks.decrementAndGet();
        }
        forgetAll();
        dropQueued();
      }
      if (!closed && !self) {
        sleepQuietly(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  private Socket connect() throws IOException {
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(url.getHost(), port(url)), CONNECT_TIMEOUT_MILLIS);
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      if (!tls) {
        return s;
      }
      SSLSocket ssl =
          (SSLSocket)
              ((SSLSocketFactory) SSLSocketFactory.getDefault())
                  .createSocket(s, url.getHost(), port(url), true);
      SSLParameters p = ssl.getSSLParameters();
      // the peer must prove it is the host named: the mesh key goes to whoever holds its key
      p.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(p);
      ssl.startHandshake();
      return ssl;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private void upgrade(DataInputStream in, OutputStream out) throws IOException {
    String path =
        url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/")
            ? DerpHttpHandler.PATH
            : url.getRawPath();
    String host = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nUpgrade: DERP\r\nConnection: Upgrade\r\nDerp-Version: 2\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      if (head.length() >= MAX_HEAD) {
        throw new IOException("the upgrade response is longer than " + MAX_HEAD + " bytes");
      }
      head.append((char) in.readUnsignedByte());
    }
    String status = head.substring(0, Math.max(0, head.indexOf("\r\n")));
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("no DERP upgrade: " + status);
    }
  }

  private static byte[] serverKey(DataInputStream in) throws IOException, DerpProtocolException {
    byte[] f = readFrame(in);
    if (f[0] != FrameType.SERVER_KEY || f.length < FrameType.HEADER + 8 + FrameType.KEY) {
      throw new DerpProtocolException("the first frame is not ServerKey");
    }
    if (!Arrays.equals(
        Arrays.copyOfRange(f, FrameType.HEADER, FrameType.HEADER + 8), FrameType.MAGIC)) {
      throw new DerpProtocolException("ServerKey without the DERP magic");
    }
    return Arrays.copyOfRange(f, FrameType.HEADER + 8, FrameType.HEADER + 8 + FrameType.KEY);
  }

  private void hello(OutputStream out, byte[] serverKey) throws IOException, DerpProtocolException {
    byte[] shared = NaclBox.sharedKey(relay.privateKey(), serverKey);
    if (shared == null) {
      throw new DerpProtocolException("the peer's key is a low-order point");
    }
    byte[] json =
        ("{\"version\":2,\"meshKey\":\"" + relay.meshKey().hex() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] box = NaclBox.seal(shared, json, relay.random);
    Arrays.fill(json, (byte) 0);
    out.write(OutFrames.clientInfo(relay.publicKey(), box));
    out.flush();
  }

  private void serverInfo(DataInputStream in, byte[] serverKey)
      throws IOException, DerpProtocolException {
    byte[] f = readFrame(in);
    if (f[0] != FrameType.SERVER_INFO) {
      // a relay that does not take our mesh key closes instead of answering
      throw new DerpProtocolException("expected ServerInfo, got frame type " + f[0]);
    }
    byte[] shared = NaclBox.sharedKey(relay.privateKey(), serverKey);
    if (NaclBox.open(shared, f, FrameType.HEADER, f.length - FrameType.HEADER) == null) {
      throw new DerpProtocolException("the ServerInfo box does not open");
    }
  }

  private void read(DataInputStream in) throws IOException, DerpProtocolException {
    while (!closed) {
      byte[] f;
      try {
        f = readFrame(in);
      } catch (SocketTimeoutException e) {
        throw new IOException("no frame for " + READ_TIMEOUT_MILLIS / 1000 + " s");
      }
      switch (f[0]) {
        case FrameType.PEER_PRESENT -> {
          if (f.length < FrameType.HEADER + FrameType.KEY) {
            throw new DerpProtocolException("short PeerPresent");
          }
          RelayKey k = RelayKey.of(f, FrameType.HEADER);
          announced.add(k);
          relay.remoteAdded(k, this);
        }
        case FrameType.PEER_GONE -> {
          if (f.length < FrameType.HEADER + FrameType.KEY) {
            throw new DerpProtocolException("short PeerGone");
          }
          RelayKey k = RelayKey.of(f, FrameType.HEADER);
          announced.remove(k);
          relay.remoteRemoved(k, this);
        }
        default -> {
          // KeepAlive, Ping (nobody's RTT depends on a mesh link), Health, Restarting: nothing
        }
      }
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException, DerpProtocolException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the peer closed the link");
    }
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new DerpProtocolException("a frame of " + (length & 0xffffffffL) + " bytes");
    }
    byte[] f = new byte[FrameType.HEADER + length];
    f[0] = (byte) type;
    f[1] = (byte) (length >>> 24);
    f[2] = (byte) (length >>> 16);
    f[3] = (byte) (length >>> 8);
    f[4] = (byte) length;
    in.readFully(f, FrameType.HEADER, length);
    return f;
  }

  private void write(OutputStream out) {
    try {
      while (!closed) {
        Item i = queue.poll(1, TimeUnit.SECONDS);
        while (i != null) {
          byte[] f = i.sendPacketFrame;
          out.write(OutFrames.forwardPacketHead(i.source, f));
          out.write(
              f, FrameType.HEADER + FrameType.KEY, f.length - FrameType.HEADER - FrameType.KEY);
          i = queue.poll();
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (!closed) {
        log.debug("DERP mesh link to {}: write failed: {}", name, e.getMessage());
      }
      closeSocket();
    }
  }

  private void forgetAll() {
    for (RelayKey k : announced) {
      relay.remoteRemoved(k, this);
    }
    announced.clear();
  }

  private void dropQueued() {
    Item i;
    while ((i = queue.poll()) != null) {
      relay.metrics.dropped(DropReason.MESH_QUEUE, packetBytes(i));
    }
  }

  private void closeSocket() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    closeSocket();
    reader.interrupt();
    joinQuietly(reader);
  }
}
