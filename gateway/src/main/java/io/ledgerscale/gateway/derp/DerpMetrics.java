// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the embedded relay counts (exposed as meters by {@code DerpMeters}). */
public final class DerpMetrics {
  private final LongAdder packetsRelayed = new LongAdder();
  private final LongAdder bytesRelayed = new LongAdder();
  private final LongAdder stunRequests = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder protocolErrors = new LongAdder();
  private final LongAdder forwardedOut = new LongAdder();
  private final LongAdder forwardedIn = new LongAdder();
  private final Map<DropReason, LongAdder> dropPackets = new EnumMap<>(DropReason.class);
  private final Map<DropReason, LongAdder> dropBytes = new EnumMap<>(DropReason.class);

  public DerpMetrics() {
    for (DropReason r : DropReason.values()) {
      dropPackets.put(r, new LongAdder());
      dropBytes.put(r, new LongAdder());
    }
  }

  void relayed(int packetBytes) {
    packetsRelayed.increment();
    bytesRelayed.add(packetBytes);
  }

  void dropped(DropReason reason, int packetBytes) {
    dropPackets.get(reason).increment();
    dropBytes.get(reason).add(Math.max(0, packetBytes));
  }

  void forwardedOut() {
    forwardedOut.increment();
  }

  void forwardedIn() {
    forwardedIn.increment();
  }

  /** Packets handed to a mesh peer for a client connected to its instance. */
  public long packetsForwardedOut() {
    return forwardedOut.sum();
  }

  /** Packets a mesh peer handed this relay for a client connected here. */
  public long packetsForwardedIn() {
    return forwardedIn.sum();
  }

  void stunRequest() {
    stunRequests.increment();
  }

  void countRefused() {
    refused.increment();
  }

  void countProtocolError() {
    protocolErrors.increment();
  }

  public long packetsRelayed() {
    return packetsRelayed.sum();
  }

  public long bytesRelayed() {
    return bytesRelayed.sum();
  }

  public long stunRequests() {
    return stunRequests.sum();
  }

  /** Connections refused at admission (verify_clients, or undecided). */
  public long refused() {
    return refused.sum();
  }

  /** Connections closed for breaking the protocol. */
  public long protocolErrors() {
    return protocolErrors.sum();
  }

  public long droppedPackets(DropReason reason) {
    return dropPackets.get(reason).sum();
  }

  public long droppedBytes(DropReason reason) {
    return dropBytes.get(reason).sum();
  }
}
