// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** An immutable set of addresses kept as sorted, disjoint, non-adjacent ranges. */
public final class IpSet {
  public static final IpSet EMPTY = new IpSet(List.of());

  /** Every IPv4 and IPv6 address. */
  public static final IpSet ALL =
      of(List.of(IpPrefix.parse("0.0.0.0/0").range(), IpPrefix.parse("::/0").range()));

  private final List<IpRange> ranges;

  private IpSet(List<IpRange> ranges) {
    this.ranges = ranges;
  }

  public static IpSet of(Collection<IpRange> input) {
    if (input.isEmpty()) {
      return EMPTY;
    }
    List<IpRange> sorted = new ArrayList<>(input);
    sorted.sort(Comparator.comparing(IpRange::first));
    List<IpRange> out = new ArrayList<>();
    IpRange cur = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      IpRange r = sorted.get(i);
      boolean touches =
          r.first().v6() == cur.last().v6()
              && (r.first().compareTo(cur.last()) <= 0
                  || (!cur.last().isFamilyMax() && r.first().equals(cur.last().next())));
      if (touches) {
        if (r.last().compareTo(cur.last()) > 0) {
          cur = new IpRange(cur.first(), r.last());
        }
      } else {
        out.add(cur);
        cur = r;
      }
    }
    out.add(cur);
    return new IpSet(List.copyOf(out));
  }

  public static IpSet ofPrefixes(Collection<IpPrefix> prefixes) {
    List<IpRange> r = new ArrayList<>(prefixes.size());
    for (IpPrefix p : prefixes) {
      r.add(p.range());
    }
    return of(r);
  }

  public List<IpRange> ranges() {
    return ranges;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public IpSet union(IpSet other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<IpRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return of(all);
  }

  public IpSet minus(IpSet other) {
    List<IpRange> out = new ArrayList<>();
    for (IpRange r : ranges) {
      List<IpRange> pieces = List.of(r);
      for (IpRange cut : other.ranges) {
        List<IpRange> next = new ArrayList<>();
        for (IpRange p : pieces) {
          if (!p.overlaps(cut)) {
            next.add(p);
            continue;
          }
          if (p.first().compareTo(cut.first()) < 0) {
            next.add(new IpRange(p.first(), cut.first().previous()));
          }
          if (p.last().compareTo(cut.last()) > 0) {
            next.add(new IpRange(cut.last().next(), p.last()));
          }
        }
        pieces = next;
      }
      out.addAll(pieces);
    }
    return of(out);
  }

  public boolean contains(IpAddress a) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      IpRange r = ranges.get(mid);
      if (a.compareTo(r.first()) < 0) {
        hi = mid - 1;
      } else if (a.compareTo(r.last()) > 0) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  public boolean overlaps(IpRange range) {
    for (IpRange r : ranges) {
      if (r.overlaps(range)) {
        return true;
      }
    }
    return false;
  }

  public boolean covers(IpRange range) {
    for (IpRange r : ranges) {
      if (r.covers(range)) {
        return true;
      }
    }
    return false;
  }

  /** True when every address of {@code other} is in this set. */
  public boolean coversAll(IpSet other) {
    for (IpRange r : other.ranges) {
      if (!covers(r)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpSet s && s.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
