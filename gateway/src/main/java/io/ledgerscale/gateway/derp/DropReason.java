// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.util.Locale;

/** Why the relay dropped a packet; the metric label values are Tailscale's derper's. */
public enum DropReason {
  /** No client with the destination key is connected. */
  UNKNOWN_DEST,
  /** The destination disconnected with the packet still queued. */
  GONE_DISCONNECTED,
  /** The destination's queue was full; its oldest packet made room. */
  QUEUE_HEAD,
  /** The destination's queue stayed full; the new packet was dropped. */
  QUEUE_TAIL,
  /** A mesh peer forwarded it for a key not (or no longer) connected here. */
  UNKNOWN_DEST_ON_FWD,
  /** The queue towards the mesh peer that has the destination was full (or the link went down). */
  MESH_QUEUE,
  /** The sender sent it before its admission was decided, beyond what is held meanwhile. */
  HANDSHAKE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
