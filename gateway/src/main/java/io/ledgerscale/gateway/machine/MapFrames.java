// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The body framing of /machine/map responses: each message is a u32 LITTLE-endian length followed
 * by that many bytes, one zstd frame of the MapResponse JSON (or the JSON itself if the client did
 * not ask for zstd; every real client does). One frame per message, so the client can decode each
 * as it arrives.
 *
 * <p>A fleet's first connect sends every stream a complete map of every peer, megabytes of JSON
 * each: the compression context and the buffers are kept between messages ({@link Encoder}), and
 * the frame is the only allocation a message leaves behind.
 */
public final class MapFrames {
  /**
   * Headscale and Tailscale's test server compress with the fastest level; maps are resent often.
   */
  static final int ZSTD_LEVEL = 1;

  /** Encoders kept for reuse: as many as threads can encode at once on this machine. */
  private static final BlockingQueue<Encoder> IDLE =
      new ArrayBlockingQueue<>(Math.max(2, Runtime.getRuntime().availableProcessors()));

  /**
   * A buffer grown past this (a map of tens of thousands of peers) is not kept, so one huge message
   * does not pin its size for good.
   */
  static final int MAX_KEPT_BUFFER = 32 << 20;

  /** Sent to every idle stream every minute or so: encoded once. */
  private static final byte[] KEEP_ALIVE_ZSTD = bytes(encodeFresh(MapResponse.KEEP_ALIVE, true));

  private static final byte[] KEEP_ALIVE_PLAIN = bytes(encodeFresh(MapResponse.KEEP_ALIVE, false));

  private MapFrames() {}

  public static ByteBuffer encode(MapResponse message, boolean zstd) {
    if (message == MapResponse.KEEP_ALIVE) {
      return ByteBuffer.wrap(zstd ? KEEP_ALIVE_ZSTD : KEEP_ALIVE_PLAIN);
    }
    return encodeFresh(message, zstd);
  }

  private static ByteBuffer encodeFresh(MapResponse message, boolean zstd) {
    Encoder e = IDLE.poll();
    if (e == null) {
      e = new Encoder();
    }
    boolean reusable = false;
    try {
      ByteBuffer frame = e.encode(message, zstd);
      reusable = true;
      return frame;
    } finally {
      if (!reusable || !e.small() || !IDLE.offer(e)) {
        e.close();
      }
    }
  }

  static ByteBuffer frame(byte[] payload) {
    return frame(payload, payload.length);
  }

  private static ByteBuffer frame(byte[] payload, int length) {
    ByteBuffer b = ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(length).put(payload, 0, length).flip();
    return b;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** One thread's means to encode: a zstd context and the JSON and compressed bytes' buffers. */
  private static final class Encoder implements AutoCloseable {
    private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
    private final Buffer json = new Buffer();
    private byte[] compressed = new byte[0];

    ByteBuffer encode(MapResponse message, boolean compress) {
      json.reset();
      try {
        TailcfgJson.MAPPER.writeValue(json, message);
      } catch (IOException e) {
        throw new IllegalStateException("cannot serialise a MapResponse", e);
      }
      if (!compress) {
        return frame(json.array(), json.size());
      }
      int bound = Math.toIntExact(Zstd.compressBound(json.size()));
      if (compressed.length < bound) {
        compressed = new byte[bound];
      }
      int n =
          zstd.compressByteArray(compressed, 0, compressed.length, json.array(), 0, json.size());
      return frame(compressed, n);
    }

    boolean small() {
      return json.array().length <= MAX_KEPT_BUFFER && compressed.length <= MAX_KEPT_BUFFER;
    }

    @Override
    public void close() {
      zstd.close();
    }
  }

  /** A byte sink whose array is read in place. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(64 << 10);
    }

    byte[] array() {
      return buf;
    }
  }
}
