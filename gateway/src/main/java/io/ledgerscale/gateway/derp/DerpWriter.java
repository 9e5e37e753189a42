// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * The outgoing side of one DERP connection: control frames first, then a watching mesh peer's
 * presence changes, then disco, then data packets. Any thread queues; only the connection's I/O
 * thread writes ({@link #flush}), in batches of gathering writes.
 */
final class DerpWriter {
  private static final int MAX_CONTROL_FRAMES = 64;
  private static final int WRITE_BATCH = 32;
  // a mesh watcher's unsent presence changes, one per key; beyond this it is closed and resyncs
  private static final int MAX_MESH_UPDATES = 1 << 16;

  private final DerpMetrics metrics;

  /** Queues another write turn on the I/O thread. */
  private final Runnable anotherTurn;

  private final ConcurrentLinkedQueue<ByteBuffer> control = new ConcurrentLinkedQueue<>();
  private final AtomicInteger controlCount = new AtomicInteger();
  private final SendQueue disco = new SendQueue(SendQueue.DEFAULT_DEPTH);
  private final SendQueue packets = new SendQueue(SendQueue.DEFAULT_DEPTH);

  // a watching mesh peer's pending PeerPresent/PeerGone frames, latest per key; guarded by itself
  private final Map<RelayKey, byte[]> meshUpdates = new LinkedHashMap<>();

  /** The other end is another instance's relay (set on the I/O thread during the handshake). */
  private boolean mesh;

  // set by last(): only control frames are written, then the write side is shut
  private volatile boolean goingAway;
  private boolean writesShut;
  private final ByteBuffer[] batch = new ByteBuffer[WRITE_BATCH];
  private int batchLen;

  DerpWriter(DerpMetrics metrics, Runnable anotherTurn) {
    this.metrics = metrics;
    this.anotherTurn = anotherTurn;
  }

  void meshPeer() {
    mesh = true;
  }

  boolean goingAway() {
    return goingAway;
  }

  /** Queues a control frame; false (dropped) when too many are unsent. */
  boolean control(ByteBuffer frame) {
    if (controlCount.incrementAndGet() > MAX_CONTROL_FRAMES) {
      // a client that never reads its pongs: drop, as Tailscale's server does
      controlCount.decrementAndGet();
      return false;
    }
    control.add(frame);
    return true;
  }

  void packet(byte[] frame, boolean isDisco) {
    (isDisco ? disco : packets).offer(frame, metrics);
  }

  /** Queues {@code last} (Restarting): from now on only control frames are written. */
  void last(ByteBuffer last) {
    goingAway = true;
    controlCount.incrementAndGet();
    control.add(last);
  }

  /**
   * Queues a PeerPresent or PeerGone, replacing one not yet sent for the same key; true when the
   * peer has fallen too far behind (the queue is dropped, the connection must close).
   */
  boolean meshUpdate(RelayKey peer, byte[] frame) {
    boolean overflow;
    synchronized (meshUpdates) {
      meshUpdates.remove(peer);
      meshUpdates.put(peer, frame);
      overflow = meshUpdates.size() > MAX_MESH_UPDATES;
      if (overflow) {
        meshUpdates.clear();
      }
    }
    return overflow;
  }

  private byte[] nextMeshUpdate() {
    if (!mesh) {
      return null;
    }
    synchronized (meshUpdates) {
      Iterator<byte[]> it = meshUpdates.values().iterator();
      if (!it.hasNext()) {
        return null;
      }
      byte[] f = it.next();
      it.remove();
      return f;
    }
  }

  private ByteBuffer next() {
    ByteBuffer c = control.poll();
    if (c != null) {
      controlCount.decrementAndGet();
      return c;
    }
    if (goingAway) {
      return null;
    }
    byte[] u = nextMeshUpdate();
    if (u != null) {
      return ByteBuffer.wrap(u);
    }
    byte[] f = disco.poll();
    if (f == null) {
      f = packets.poll();
    }
    if (f == null) {
      return null;
    }
    if (f[0] == FrameType.RECV_PACKET) {
      metrics.relayed(f.length - FrameType.HEADER - FrameType.KEY);
    }
    return ByteBuffer.wrap(f);
  }

  /**
   * Writes what is queued, a bounded turn's worth; resumes write readiness when the channel is full
   * and asks for another turn when more is queued.
   */
  void flush(ConduitStreamSinkChannel sink) throws IOException {
    for (int round = 0; round < 8; round++) {
      while (batchLen < WRITE_BATCH) {
        ByteBuffer b = next();
        if (b == null) {
          break;
        }
        batch[batchLen++] = b;
      }
      if (batchLen == 0) {
        break;
      }
      sink.write(batch, 0, batchLen);
      int done = 0;
      while (done < batchLen && !batch[done].hasRemaining()) {
        done++;
      }
      System.arraycopy(batch, done, batch, 0, batchLen - done);
      for (int i = batchLen - done; i < batchLen; i++) {
        batch[i] = null;
      }
      batchLen -= done;
      if (batchLen > 0) {
        sink.resumeWrites();
        return;
      }
    }
    if (!sink.flush()) {
      sink.resumeWrites();
      return;
    }
    if (goingAway && control.isEmpty()) {
      shutWrites(sink);
      return;
    }
    if (!control.isEmpty() || !disco.isEmpty() || !packets.isEmpty() || hasMeshUpdates()) {
      // more than one turn's worth: let the thread's other connections go first
      anotherTurn.run();
    }
    sink.suspendWrites();
  }

  /** The client sees the end of the stream after Restarting; its hang-up then closes this. */
  private void shutWrites(ConduitStreamSinkChannel sink) throws IOException {
    if (writesShut) {
      // the flush before this call finished the shutdown
      sink.suspendWrites();
      return;
    }
    writesShut = true;
    sink.shutdownWrites();
    if (!sink.flush()) {
      sink.resumeWrites();
    } else {
      sink.suspendWrites();
    }
  }

  private boolean hasMeshUpdates() {
    if (!mesh) {
      return false;
    }
    synchronized (meshUpdates) {
      return !meshUpdates.isEmpty();
    }
  }

  void clearMeshUpdates() {
    synchronized (meshUpdates) {
      meshUpdates.clear();
    }
  }

  /** Drops everything unsent (the connection closed). */
  void clear() {
    control.clear();
    disco.clear(metrics);
    packets.clear(metrics);
    for (int i = 0; i < batchLen; i++) {
      batch[i] = null;
    }
    batchLen = 0;
  }
}
