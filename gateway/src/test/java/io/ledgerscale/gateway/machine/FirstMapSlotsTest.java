// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstMapSlotsTest {

  @Test
  void shouldAdmitWaitersInTurnAsSlotsComeBackAndSkipOnesThatLeft() {
    FirstMapSlots slots = new FirstMapSlots(2);
    List<String> admitted = new ArrayList<>();
    FirstMapSlots.Waiter a = () -> admitted.add("a");
    FirstMapSlots.Waiter b = () -> admitted.add("b");
    FirstMapSlots.Waiter c = () -> admitted.add("c");
    FirstMapSlots.Waiter d = () -> admitted.add("d");

    assertThat(slots.take(a)).isTrue();
    assertThat(slots.take(b)).isTrue();
    assertThat(slots.take(c)).isFalse();
    assertThat(slots.take(d)).isFalse();
    assertThat(slots.leave(c)).isTrue();

    slots.release();
    assertThat(admitted).containsExactly("d");
    assertThat(slots.taken()).isEqualTo(2);

    slots.release();
    slots.release();
    assertThat(slots.taken()).isZero();
    assertThat(slots.leave(c)).isFalse();
  }
}
