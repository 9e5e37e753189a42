// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.TransportCipher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * The write side of a Noise connection as the HTTP/2 server sees it: what is written is sealed into
 * records in the writing call and handed to the socket, several records in one gathering write.
 *
 * <p>Backpressure: records the socket did not take stay here, and until they are gone a write takes
 * nothing and a flush reports unfinished, so the writer waits for the socket's write readiness
 * (which calls it again, and its call sends them). What stays is at most one write's worth: {@link
 * #RECORDS_PER_WRITE} records.
 *
 * <p>Bytes queued before the first write (the handshake response, the early payload) go out first,
 * as they are.
 */
final class NoiseSinkConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
  /** Plaintext sealed per write call: 16 records, 64 KB on the wire. */
  static final int RECORDS_PER_WRITE = 16;

  private static final ThreadLocal<byte[][]> SCRATCH =
      ThreadLocal.withInitial(
          () ->
              new byte[][] {
                new byte[NoiseMessages.MAX_PLAINTEXT_SIZE],
                new byte[RECORDS_PER_WRITE * NoiseMessages.MAX_MESSAGE_SIZE]
              });

  private final TransportCipher cipher;
  private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
  private boolean shutdownAsked;
  private boolean shutdownPassedOn;
  private volatile long lastTraffic = System.nanoTime();

  NoiseSinkConduit(StreamSinkConduit next, TransportCipher cipher) {
    super(next);
    this.cipher = cipher;
  }

  /** Queues bytes sent before anything the HTTP/2 server writes, unchanged. */
  synchronized void sendFirst(byte[] raw) {
    unsent.add(ByteBuffer.wrap(raw));
  }

  /** When bytes last went to the network, in {@link System#nanoTime()}. */
  long lastTraffic() {
    return lastTraffic;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public synchronized long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
    if (shutdownAsked) {
      throw new ClosedChannelException();
    }
    if (!sendUnsent()) {
      return 0;
    }
    byte[][] scratch = SCRATCH.get();
    byte[] plain = scratch[0];
    byte[] wire = scratch[1];
    int wireLen = 0;
    long taken = 0;
    int at = offs;
    int end = offs + len;
    try {
      for (int r = 0; r < RECORDS_PER_WRITE; r++) {
        int filled = 0;
        while (filled < plain.length && at < end) {
          ByteBuffer b = srcs[at];
          int n = Math.min(b.remaining(), plain.length - filled);
          b.get(plain, filled, n);
          filled += n;
          if (!b.hasRemaining()) {
            at++;
          }
        }
        if (filled == 0) {
          break;
        }
        wireLen += cipher.sealRecordInto(plain, 0, filled, wire, wireLen);
        taken += filled;
      }
    } catch (NoiseException e) {
      throw new IOException("cannot seal a Noise record: " + e.getMessage(), e);
    }
    if (wireLen == 0) {
      return 0;
    }
    ByteBuffer out = ByteBuffer.wrap(wire, 0, wireLen);
    if (next.write(out) > 0) {
      lastTraffic = System.nanoTime();
    }
    if (out.hasRemaining()) {
      // the scratch buffer is this thread's: what the socket left is copied out of it
      byte[] rest = new byte[out.remaining()];
      out.get(rest);
      unsent.add(ByteBuffer.wrap(rest));
    }
    return taken;
  }

  /** Sends what earlier calls left; true when nothing is left. */
  private synchronized boolean sendUnsent() throws IOException {
    while (!unsent.isEmpty()) {
      ByteBuffer[] all = unsent.toArray(new ByteBuffer[0]);
      long n = next.write(all, 0, all.length);
      if (n > 0) {
        lastTraffic = System.nanoTime();
      }
      while (!unsent.isEmpty() && !unsent.peek().hasRemaining()) {
        unsent.poll();
      }
      if (n == 0 && !unsent.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int writeFinal(ByteBuffer src) throws IOException {
    return Conduits.writeFinalBasic(this, src);
  }

  @Override
  public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
    return Conduits.writeFinalBasic(this, srcs, offs, len);
  }

  @Override
  public long transferFrom(FileChannel src, long position, long count) throws IOException {
    return src.transferTo(position, count, new ConduitWritableByteChannel(this));
  }

  @Override
  public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer)
      throws IOException {
    return Conduits.transfer(source, count, throughBuffer, this);
  }

  @Override
  public synchronized boolean flush() throws IOException {
    if (!sendUnsent()) {
      return false;
    }
    if (shutdownAsked && !shutdownPassedOn) {
      shutdownPassedOn = true;
      next.terminateWrites();
    }
    return next.flush();
  }

  @Override
  public synchronized void terminateWrites() throws IOException {
    // the socket is shut only once the records before it are out; flush() passes it on
    shutdownAsked = true;
  }

  @Override
  public synchronized boolean isWriteShutdown() {
    return shutdownAsked || next.isWriteShutdown();
  }

  @Override
  public synchronized void truncateWrites() throws IOException {
    shutdownAsked = true;
    shutdownPassedOn = true;
    unsent.clear();
    next.truncateWrites();
  }

  @Override
  public void awaitWritable() throws IOException {
    while (!sendUnsent()) {
      next.awaitWritable();
    }
  }

  @Override
  public void awaitWritable(long time, TimeUnit timeUnit) throws IOException {
    if (!sendUnsent()) {
      next.awaitWritable(time, timeUnit);
      sendUnsent();
    }
  }
}
