// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.luben.zstd.Zstd;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The body framing of /machine/map responses: each message is a u32 LITTLE-endian length followed
 * by that many bytes, one zstd frame of the MapResponse JSON (or the JSON itself if the client did
 * not ask for zstd; every real client does). One frame per message, so the client can decode each
 * as it arrives.
 */
public final class MapFrames {
  /**
   * Headscale and Tailscale's test server compress with the fastest level; maps are resent often.
   */
  static final int ZSTD_LEVEL = 1;

  private MapFrames() {}

  public static ByteBuffer encode(MapResponse message, boolean zstd) {
    byte[] json;
    try {
      json = TailcfgJson.MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a MapResponse", e);
    }
    return frame(zstd ? Zstd.compress(json, ZSTD_LEVEL) : json);
  }

  static ByteBuffer frame(byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(payload.length).put(payload).flip();
    return b;
  }
}
