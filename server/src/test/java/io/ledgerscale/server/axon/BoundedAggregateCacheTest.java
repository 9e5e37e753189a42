// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class BoundedAggregateCacheTest {

  @Test
  void anEntryOutlivesGarbageCollections() {
    BoundedAggregateCache cache = new BoundedAggregateCache(1, Duration.ofMinutes(1));
    cache.put("tailnet", new Object());
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    assertThat((Object) cache.get("tailnet")).isNotNull();
  }

  @Test
  void theLeastRecentlyUsedEntryGoesBeyondTheBound() {
    BoundedAggregateCache cache = new BoundedAggregateCache(2, Duration.ofMinutes(1));
    List<Object> expired = new ArrayList<>();
    cache.registerCacheEntryListener(
        new Cache.EntryListenerAdapter() {
          @Override
          public void onEntryExpired(Object key) {
            expired.add(key);
          }
        });
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat((Integer) cache.get("a")).isEqualTo(1); // "b" is now the eldest
    cache.put("c", 3);
    assertThat(cache.containsKey("b")).isFalse();
    assertThat(cache.containsKey("a")).isTrue();
    assertThat(cache.containsKey("c")).isTrue();
    assertThat(cache.size()).isEqualTo(2);
    assertThat(expired).containsExactly("b");
  }

  @Test
  void removingAndReplacing() {
    BoundedAggregateCache cache = new BoundedAggregateCache(4, Duration.ofMinutes(1));
    assertThat(cache.putIfAbsent("k", "one")).isTrue();
    assertThat(cache.putIfAbsent("k", "two")).isFalse();
    assertThat((String) cache.get("k")).isEqualTo("one");
    cache.computeIfPresent("k", v -> v + "!");
    assertThat((String) cache.get("k")).isEqualTo("one!");
    assertThat((String) cache.computeIfAbsent("n", () -> "new")).isEqualTo("new");
    cache.put("k", null);
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(cache.remove("n")).isTrue();
    assertThat(cache.remove("n")).isFalse();
    cache.put("x", 1);
    cache.removeAll();
    assertThat(cache.size()).isZero();
  }

  @Test
  void anEntryIsLoadedAgainOnceItIsOlderThanTheLimitHoweverOftenItIsUpdated() {
    AtomicLong now = new AtomicLong();
    BoundedAggregateCache cache = new BoundedAggregateCache(1, Duration.ofSeconds(5), now::get);
    cache.put("tailnet", "v1");
    now.set(Duration.ofSeconds(4).toNanos());
    cache.put("tailnet", "v2"); // a local change keeps the time it was loaded
    assertThat((String) cache.get("tailnet")).isEqualTo("v2");
    now.set(Duration.ofSeconds(6).toNanos());
    assertThat((Object) cache.get("tailnet")).isNull();
    assertThat(cache.containsKey("tailnet")).isFalse();
  }

  @Test
  void holdsAtLeastOne() {
    assertThatThrownBy(() -> new BoundedAggregateCache(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
