// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.RecordDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The read side of a Noise connection as the HTTP/2 server sees it: reading returns the plaintext
 * of the records that arrived, decrypted in the reading call. Readiness is the socket's, except
 * that plaintext left over from a read (the reader's buffer was full) makes the conduit readable at
 * once.
 *
 * <p>A record that is not authentic, out of sequence or malformed fails the read with an {@link
 * IOException}, and the HTTP/2 server closes the connection. An end of stream inside a record is an
 * end of stream: the cut-short record is dropped with the connection.
 */
final class NoiseSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  private final RecordDecoder decoder;
  // decrypted records the reader had no room for; empty between bursts
  private final ArrayDeque<ByteBuffer> plaintext = new ArrayDeque<>();
  private volatile long lastTraffic = System.nanoTime();

  NoiseSourceConduit(StreamSourceConduit next, RecordDecoder decoder) {
    super(next);
    this.decoder = decoder;
  }

  /** When bytes last arrived from the network, in {@link System#nanoTime()}. */
  long lastTraffic() {
    return lastTraffic;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int copied = copyOut(dst);
    if (dst.hasRemaining() && plaintext.isEmpty()) {
      ByteBuffer netIn = ScratchBuffers.netIn();
      int n = next.read(netIn);
      if (n < 0) {
        return copied > 0 ? copied : -1;
      }
      if (n > 0) {
        lastTraffic = System.nanoTime();
        netIn.flip();
        try {
          decoder.feed(
              netIn,
              plain -> {
                if (plain.length > 0) {
                  plaintext.add(ByteBuffer.wrap(plain));
                }
              });
        } catch (NoiseException e) {
          plaintext.clear();
          throw new IOException("Noise record refused: " + e.getMessage(), e);
        }
        copied += copyOut(dst);
      }
    }
    if (!plaintext.isEmpty() && next.isReadResumed()) {
      // the socket may stay quiet; the reader must come back for what is held here
      next.wakeupReads();
    }
    return copied;
  }

  private int copyOut(ByteBuffer dst) {
    int copied = 0;
    while (dst.hasRemaining() && !plaintext.isEmpty()) {
      ByteBuffer b = plaintext.peek();
      int n = Math.min(b.remaining(), dst.remaining());
      int limit = b.limit();
      b.limit(b.position() + n);
      dst.put(b);
      b.limit(limit);
      copied += n;
      if (!b.hasRemaining()) {
        plaintext.poll();
      }
    }
    return copied;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    long total = 0;
    for (int i = offs; i < offs + len; i++) {
      if (!dsts[i].hasRemaining()) {
        continue;
      }
      int n = read(dsts[i]);
      if (n < 0) {
        return total > 0 ? total : -1;
      }
      total += n;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
      throws IOException {
    return Conduits.transfer(this, count, throughBuffer, target);
  }

  @Override
  public void resumeReads() {
    next.resumeReads();
    if (hasPlaintext()) {
      next.wakeupReads();
    }
  }

  @Override
  public void awaitReadable() throws IOException {
    if (!hasPlaintext()) {
      next.awaitReadable();
    }
  }

  @Override
  public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
    if (!hasPlaintext()) {
      next.awaitReadable(time, timeUnit);
    }
  }

  @Override
  public synchronized void terminateReads() throws IOException {
    plaintext.clear();
    next.terminateReads();
  }

  private synchronized boolean hasPlaintext() {
    return !plaintext.isEmpty();
  }
}
