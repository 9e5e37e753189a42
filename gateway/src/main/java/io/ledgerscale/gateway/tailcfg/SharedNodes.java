// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peer entries as many messages carry them. When a fleet connects, every one of N streams gets a
 * complete map with the same N peers, and every change to a peer goes to all of them: serialising
 * each entry once and splicing its bytes into every message ({@link TailcfgJson#MAPPER} does) is
 * most of the cost of a map on the wire.
 *
 * <p>One entry per node id: the node as last shown with its presence, and its JSON once first
 * written, with the few entries it replaced. A message reuses the bytes only when it carries that
 * very instance, and a {@link Node} never changes once built (its Hostinfo tree included), so bytes
 * never outlive what they show: a peer that changes is a new instance, and a message still holding
 * an instance no longer kept serialises it anew.
 */
public final class SharedNodes {
  private static final Map<Long, Entry> BY_ID = new ConcurrentHashMap<>();

  /**
   * Instances of a node's entry kept besides the latest: a message built a moment before a change
   * of the node's presence may be written after it (its I/O thread had others to write first), and
   * still finds the entry's bytes instead of serialising it again. In a fleet's reconnect every
   * node changes presence twice within seconds, while thousands of complete maps hold it.
   */
  static final int EARLIER_KEPT = 3;

  /**
   * Told of each shared entry {@link TailcfgJson#MAPPER} splices into what it writes, when given to
   * the writer as its attribute {@code Splices.class} ({@link #observedBy}).
   */
  public interface Splices {
    /**
     * {@code node} was written as its {@code length} bytes, after which the generator still held
     * {@code buffered} bytes not yet passed to its output.
     */
    void spliced(Node node, int length, int buffered);

    /**
     * What to write for {@code node}, asked before it is written: an observer that already holds
     * the bytes of a run of entries has the first of them written as a stand-in and the others left
     * out, and puts the run where the stand-in is.
     */
    default Write write(Node node) {
      return Write.ENTRY;
    }

    /**
     * The {@link #STAND_IN} was written, after which the generator still held {@code buffered}
     * bytes not yet passed to its output.
     */
    default void stoodIn(int buffered) {}
  }

  /** What {@link Splices#write} asks to write for an entry. */
  public enum Write {
    ENTRY,
    STAND_IN,
    NOTHING
  }

  /**
   * Written in place of a run of entries whose bytes the observer holds: one byte of valid JSON,
   * which the writer follows with the comma before the entry after the run.
   */
  public static final byte STAND_IN = '0';

  /**
   * A writer of {@link TailcfgJson#MAPPER} that tells {@code observer} where shared entries land in
   * what it writes, so an encoder can reuse what it did with the same run of entries before.
   */
  public static ObjectWriter observedBy(Splices observer) {
    return TailcfgJson.MAPPER.writer().withAttribute(Splices.class, observer);
  }

  private SharedNodes() {}

  private static final class Entry {
    final Node base;
    final Node shown;

    /** The time {@code shown.lastSeen} was written from. */
    final java.time.Instant lastSeenAt;

    private volatile byte[] json;

    /** The entry this one replaced, while kept ({@link #EARLIER_KEPT}). */
    private volatile Entry earlier;

    Entry(Node base, Node shown, java.time.Instant lastSeenAt, Entry earlier) {
      this.base = base;
      this.shown = shown;
      this.lastSeenAt = lastSeenAt;
      this.earlier = earlier;
      Entry e = this;
      for (int i = 0; i < EARLIER_KEPT && e != null; i++) {
        e = e.earlier;
      }
      if (e != null) {
        e.earlier = null;
      }
    }

    byte[] json() {
      byte[] j = json;
      if (j == null) {
        // two threads may both write it; either result is the same bytes
        try {
          j = TailcfgJson.PLAIN.writeValueAsBytes(shown);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot serialise a Node", e);
        }
        json = j;
      }
      return j;
    }
  }

  /**
   * {@code base} as a peer shows it with its presence: the same instance for as long as neither
   * {@code base} (by identity) nor the presence changes, so every message carrying it shares one
   * serialised form. Last seen is a time that {@code format} writes only when it differs from the
   * shown one: formatting it for every peer of every map was a visible share of a fleet's first
   * maps.
   */
  public static Node withPresence(
      Node base,
      java.time.Instant lastSeenAt,
      Boolean online,
      java.util.function.Function<java.time.Instant, String> format) {
    Entry e = BY_ID.get(base.id());
    if (e != null
        && e.base == base
        && Objects.equals(e.lastSeenAt, lastSeenAt)
        && Objects.equals(e.shown.online(), online)) {
      return e.shown;
    }
    String lastSeen = lastSeenAt == null ? null : format.apply(lastSeenAt);
    Node shown =
        new Node(
            base.id(),
            base.stableId(),
            base.name(),
            base.user(),
            base.key(),
            base.keyExpiry(),
            base.machine(),
            base.discoKey(),
            base.addresses(),
            base.allowedIps(),
            base.endpoints(),
            base.homeDerp(),
            base.hostinfo(),
            base.created(),
            base.cap(),
            base.tags(),
            base.primaryRoutes(),
            lastSeen,
            online,
            base.machineAuthorized(),
            base.capMap(),
            base.expired());
    BY_ID.put(base.id(), new Entry(base, shown, lastSeenAt, e));
    return shown;
  }

  /** Forgets the nodes that are gone. */
  public static void retain(Set<Long> nodeIds) {
    BY_ID.keySet().retainAll(nodeIds);
  }

  /**
   * The JSON of {@code n} if it is the shared instance of its node or one of the few before it,
   * else null.
   */
  static byte[] json(Node n) {
    for (Entry e = BY_ID.get(n.id()); e != null; e = e.earlier) {
      if (e.shown == n) {
        return e.json();
      }
    }
    return null;
  }
}
