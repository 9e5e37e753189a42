// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body framing of /machine/map responses: each message is a u32 LITTLE-endian length followed
 * by that many bytes, the MapResponse JSON compressed with zstd (or the JSON itself if the client
 * did not ask for zstd; every real client does), so the client can decode each message as it
 * arrives.
 *
 * <p>A fleet's first connect sends every stream a complete map of every peer, megabytes of JSON
 * each, most of it the same peer entries: a run of entries is compressed once as a zstd frame of
 * its own and that frame reused by every message that carries the same run ({@link Block}), so a
 * large message is a few frames one after the other. The zstd format allows that, and clients
 * decode the whole payload with {@code zstd.Decoder.DecodeAll} ({@code util/zstdframe.AppendDecode}
 * in v1.80 to v1.102, klauspost/compress 1.17 and 1.19), which reads frame after frame to the end.
 * A small message is one frame. The compression context and the buffers are kept between messages
 * ({@link Encoder}); the frame is the only allocation a message leaves behind.
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

  private MapFrames() {}

  public static ByteBuffer encode(MapResponse message, boolean zstd) {
    if (message == MapResponse.KEEP_ALIVE) {
      return ByteBuffer.wrap(zstd ? KEEP_ALIVE_ZSTD : KEEP_ALIVE_PLAIN);
    }
    if (message.node() != null) {
      // a first map or a change of the viewer's own entry: one stream's alone
      return encodeFresh(message, zstd);
    }
    byte[] known = RECENT.frameOf(message, zstd);
    if (known != null) {
      return ByteBuffer.wrap(known);
    }
    ByteBuffer frame = encodeFresh(message, zstd);
    RECENT.remember(message, zstd, frame);
    return frame;
  }

  /** Frames larger than this are not kept for other streams. */
  static final int MAX_SHARED_FRAME = 1 << 20;

  /**
   * The frames of the last few peer deltas, by message identity: one flush sends the same delta
   * instance to every stream that holds the same peers (the map's {@code SharedDeltas}), so a
   * fleet's first connect encodes each once, not once per stream. Identity, not equality: an equal
   * message in another instance is encoded again, which is only slower.
   */
  private static final class RecentFrames {
    private record Encoded(MapResponse message, boolean zstd, byte[] frame) {}

    private final Encoded[] recent = new Encoded[8];
    private int next;

    synchronized byte[] frameOf(MapResponse message, boolean zstd) {
      for (Encoded e : recent) {
        if (e != null && e.message() == message && e.zstd() == zstd) {
          return e.frame();
        }
      }
      return null;
    }

    synchronized void remember(MapResponse message, boolean zstd, ByteBuffer frame) {
      if (!frame.hasArray()
          || frame.arrayOffset() != 0
          || frame.position() != 0
          || frame.limit() != frame.array().length
          || frame.limit() > MAX_SHARED_FRAME) {
        return;
      }
      recent[next] = new Encoded(message, zstd, frame.array());
      next = (next + 1) % recent.length;
    }
  }

  private static final RecentFrames RECENT = new RecentFrames();

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

  /**
   * A run of peer entries compressed once for every message that carries the very same run. Peers
   * are grouped by id ({@link #BLOCK_IDS} ids a group), so the complete maps of a fleet, which
   * differ only in whom they leave out (the viewer itself, those the policy hides), share all other
   * groups.
   */
  private record Block(Node[] nodes, byte[] frame) {
    boolean holds(List<Node> run, int from, int to) {
      if (nodes.length != to - from) {
        return false;
      }
      for (int i = from; i < to; i++) {
        if (nodes[i - from] != run.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Peer ids a block covers: larger compresses better, smaller is rebuilt for less on a change. */
  static final int BLOCK_IDS = 64;

  /** Fewer entries than this are compressed with what is around them. */
  static final int MIN_BLOCK = 16;

  /** Blocks kept, by id group: enough for a few hundred thousand peers. */
  private static final int MAX_BLOCKS = 4096;

  private static final Map<Long, Block> BLOCKS = new ConcurrentHashMap<>();

  /** Sent to every idle stream every minute or so: encoded once. */
  private static final byte[] KEEP_ALIVE_ZSTD = bytes(encodeFresh(MapResponse.KEEP_ALIVE, true));

  private static final byte[] KEEP_ALIVE_PLAIN = bytes(encodeFresh(MapResponse.KEEP_ALIVE, false));

  /**
   * One thread's means to encode: a zstd context, the JSON and compressed bytes' buffers, where the
   * shared peer entries landed in the JSON, and which runs of entries a first map takes from the
   * blocks already compressed.
   */
  private static final class Encoder implements AutoCloseable, SharedNodes.Splices {
    private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
    private final ObjectWriter observed = SharedNodes.observedBy(this);
    private final Buffer json = new Buffer();
    private byte[] compressed = new byte[0];
    private int out;
    // the shared entries in the JSON, in order: which, and where each starts and ends
    private Node[] spliced = new Node[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int splices;
    // the entries left out of the JSON because their run is a block already compressed, in the
    // order they are written; a run's first is written as a stand-in
    private Node[] omitted = new Node[64];
    private boolean[] runStarts = new boolean[64];
    private int omissions;
    private int omittedSoFar;
    private Node viewer;
    // the block of each run left out, in order, and where its stand-in landed in the JSON
    private Block[] runBlocks = new Block[8];
    private int runs;
    private int[] standInAt = new int[8];
    private int standIns;

    ByteBuffer encode(MapResponse message, boolean compress) {
      // a viewer never sees itself, so the run of its own group is its alone: compressed with the
      // rest of the message, it never displaces the run every other viewer shares
      long ownGroup = message.node() == null ? -1 : message.node().id() / BLOCK_IDS;
      omissions = 0;
      runs = 0;
      if (compress) {
        planOmissions(message, ownGroup);
      }
      write(message);
      if (omissions > 0 && !omissionsInPlace()) {
        // the writer did not meet the entries as planned: the message is written whole
        Arrays.fill(omitted, 0, omissions, null);
        omissions = 0;
        write(message);
      }
      if (!compress) {
        return frame(json.array(), json.size());
      }
      out = 4;
      // A frame's header may give its content size, and the decoder of Go clients
      // (klauspost/compress, DecodeAll) then grows its output to exactly what is decoded so far
      // plus that size, copying everything before: once per frame, which for a map of thousands
      // of peers in a hundred frames copied and allocated a hundred times its size in every
      // client. Without sizes it appends, growing the output by doubling. A single frame keeps
      // its size (the output is then allocated once): nothing is compressed before the first
      // block is found, so that is where a message of several frames stops giving sizes.
      zstd.setContentSize(true);
      int done = 0;
      int i = 0;
      int s = 0;
      while (i < splices || s < standIns) {
        if (s < standIns && (i == splices || standInAt[s] < starts[i])) {
          // the stand-in and the comma after it become the run's block, entries and commas
          int at = standInAt[s];
          if (done == 0) {
            zstd.setContentSize(false);
          }
          compressFresh(done, at);
          appendFrame(runBlocks[s].frame());
          done = at + 2;
          s++;
          continue;
        }
        int end = runEnd(i);
        if (end - i >= MIN_BLOCK && spliced[i].id() / BLOCK_IDS != ownGroup) {
          if (done == 0) {
            zstd.setContentSize(false);
          }
          int start = starts[i];
          // the block is the entries and the comma after each
          int stop = ends[end - 1] + 1;
          compressFresh(done, start);
          appendBlock(i, end, start, stop);
          done = stop;
        }
        i = end;
      }
      compressFresh(done, json.size());
      Arrays.fill(spliced, 0, splices, null);
      Arrays.fill(omitted, 0, omissions, null);
      Arrays.fill(runBlocks, 0, runs, null);
      viewer = null;
      ByteBuffer b = ByteBuffer.allocate(out).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(out - 4).put(compressed, 4, out - 4).flip();
      return b;
    }

    private void write(MapResponse message) {
      json.reset();
      splices = 0;
      standIns = 0;
      omittedSoFar = 0;
      try {
        observed.writeValue(json, message);
      } catch (IOException e) {
        throw new IllegalStateException("cannot serialise a MapResponse", e);
      }
    }

    /**
     * The runs of a complete map's peers that are already compressed, exactly as a block holds
     * them: they are left out of the JSON, whose writing was most of a first map's cost in a
     * fleet's connect (thousands of entries copied into every map, only to be replaced by the same
     * few blocks).
     */
    private void planOmissions(MapResponse message, long ownGroup) {
      viewer = message.node();
      List<Node> peers = message.peers();
      if (viewer == null || peers == null) {
        return;
      }
      int n = peers.size();
      int i = 0;
      while (i < n) {
        long group = peers.get(i).id() / BLOCK_IDS;
        int end = i + 1;
        while (end < n && peers.get(end).id() / BLOCK_IDS == group) {
          end++;
        }
        // the last entry of the list has no comma after it: never in a block
        int stop = end == n ? n - 1 : end;
        if (stop - i >= MIN_BLOCK && group != ownGroup) {
          Block cached = BLOCKS.get(group);
          if (cached != null && cached.holds(peers, i, stop)) {
            if (runs == runBlocks.length) {
              runBlocks = Arrays.copyOf(runBlocks, runs * 2);
            }
            runBlocks[runs++] = cached;
            for (int k = i; k < stop; k++) {
              omit(peers.get(k), k == i);
            }
          }
        }
        i = end;
      }
    }

    private void omit(Node node, boolean runStart) {
      if (omissions == omitted.length) {
        omitted = Arrays.copyOf(omitted, omissions * 2);
        runStarts = Arrays.copyOf(runStarts, omissions * 2);
      }
      omitted[omissions] = node;
      runStarts[omissions++] = runStart;
    }

    @Override
    public SharedNodes.Write write(Node node) {
      if (omittedSoFar < omissions && omitted[omittedSoFar] == node && node != viewer) {
        return runStarts[omittedSoFar++] ? SharedNodes.Write.STAND_IN : SharedNodes.Write.NOTHING;
      }
      return SharedNodes.Write.ENTRY;
    }

    @Override
    public void stoodIn(int buffered) {
      if (standIns == standInAt.length) {
        standInAt = Arrays.copyOf(standInAt, standIns * 2);
      }
      standInAt[standIns++] = json.size() + buffered - 1;
    }

    /**
     * Whether the writer met every entry planned to be left out, in order, and each stand-in is
     * where a run's entries and their commas can take its place: followed by a comma.
     */
    private boolean omissionsInPlace() {
      if (omittedSoFar != omissions || standIns != runs) {
        return false;
      }
      byte[] j = json.array();
      for (int r = 0; r < standIns; r++) {
        int at = standInAt[r];
        if (at + 1 >= json.size() || j[at] != SharedNodes.STAND_IN || j[at + 1] != ',') {
          return false;
        }
      }
      return true;
    }

    @Override
    public void spliced(Node node, int length, int buffered) {
      if (splices == spliced.length) {
        spliced = Arrays.copyOf(spliced, splices * 2);
        starts = Arrays.copyOf(starts, splices * 2);
        ends = Arrays.copyOf(ends, splices * 2);
      }
      int end = json.size() + buffered;
      spliced[splices] = node;
      starts[splices] = end - length;
      ends[splices++] = end;
    }

    /**
     * The end of the run from {@code i}: entries of one id group, one after the other in one list,
     * each followed by a comma (so the last of a list is never in a block).
     */
    private int runEnd(int i) {
      long group = spliced[i].id() / BLOCK_IDS;
      byte[] j = json.array();
      int k = i;
      while (k < splices
          && spliced[k].id() / BLOCK_IDS == group
          && ends[k] < json.size()
          && j[ends[k]] == ','
          && (k == i || starts[k] == ends[k - 1] + 1)) {
        k++;
      }
      return Math.max(k, i + 1);
    }

    private void appendBlock(int from, int to, int start, int stop) {
      long group = spliced[from].id() / BLOCK_IDS;
      Block cached = BLOCKS.get(group);
      if (cached == null || !cached.holds(Arrays.asList(spliced), from, to)) {
        int at = out;
        compressFresh(start, stop);
        if (BLOCKS.size() >= MAX_BLOCKS) {
          BLOCKS.clear();
        }
        cached =
            new Block(
                Arrays.copyOfRange(spliced, from, to), Arrays.copyOfRange(compressed, at, out));
        BLOCKS.put(group, cached);
        return;
      }
      appendFrame(cached.frame());
    }

    private void appendFrame(byte[] frame) {
      ensure(frame.length);
      System.arraycopy(frame, 0, compressed, out, frame.length);
      out += frame.length;
    }

    /** Compresses {@code json[from, to)} as one more frame. */
    private void compressFresh(int from, int to) {
      if (from >= to) {
        return;
      }
      ensure(Math.toIntExact(Zstd.compressBound(to - from)));
      out +=
          zstd.compressByteArray(
              compressed, out, compressed.length - out, json.array(), from, to - from);
    }

    private void ensure(int more) {
      if (compressed.length - out < more) {
        compressed = Arrays.copyOf(compressed, Math.max(out + more, compressed.length * 2));
      }
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
