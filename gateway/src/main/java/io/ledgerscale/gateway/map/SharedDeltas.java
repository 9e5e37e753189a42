// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The peer deltas of one flush, worked out once for every stream that holds the same entries of the
 * changed peers. When a fleet connects, each flush tells every stream of the same few hundred new
 * peers, and the streams hold the same shared entries of them ({@link PeerEntries}): one delta
 * serves them all, and the message sent is one instance, encoded once ({@code MapFrames}). Valid
 * for one tailnet snapshot and one time (a flush); safe on the threads that evaluate the views.
 */
final class SharedDeltas {
  private final Map<Before, After> deltas = new ConcurrentHashMap<>();

  /**
   * What a stream holds of the changed peers and what it is to be shown of them: the peer ids in
   * one order, the entry it holds and whether it showed the peer online, the entry it is to be
   * shown (null: none), and the profiles it is to be shown for the first time. Entries compare by
   * identity: peers are shared between views, and an equal entry in another instance only costs a
   * delta of its own.
   */
  static final class Before {
    private final long[] ids;
    private final Node[] held;
    private final Boolean[] wasOnline;
    private final Node[] shown;
    private final List<UserProfile> newProfiles;
    private final int hash;

    Before(long[] ids, Node[] held, Boolean[] wasOnline, Node[] shown, List<UserProfile> profiles) {
      this.ids = ids;
      this.held = held;
      this.wasOnline = wasOnline;
      this.shown = shown;
      this.newProfiles = profiles;
      int h = Arrays.hashCode(ids);
      for (int i = 0; i < ids.length; i++) {
        h = 31 * h + System.identityHashCode(held[i]);
        h = 31 * h + System.identityHashCode(shown[i]);
        h = 31 * h + (wasOnline[i] == null ? 0 : wasOnline[i] ? 1 : 2);
      }
      this.hash = 31 * h + profiles.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Before b) || b.hash != hash || !Arrays.equals(b.ids, ids)) {
        return false;
      }
      for (int i = 0; i < ids.length; i++) {
        if (b.held[i] != held[i]
            || b.shown[i] != shown[i]
            || !Objects.equals(b.wasOnline[i], wasOnline[i])) {
          return false;
        }
      }
      return b.newProfiles.equals(newProfiles);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The delta (null: nothing to tell) and the online flag each shown peer is to have. */
  record After(MapResponse delta, Boolean[] online) {}

  After of(Before before, Function<Before, After> work) {
    return deltas.computeIfAbsent(before, work);
  }
}
