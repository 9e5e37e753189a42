// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One row of Axon's event table exactly as stored: the leaf covers these bytes, never an upcast or
 * re-serialized view, so a row read back years later still hashes the same.
 */
public record StoredEvent(
    long globalIndex,
    String eventId,
    String aggregateId,
    long sequenceNumber,
    String aggregateType,
    String payloadType,
    String payloadRevision,
    String timestamp,
    byte[] payload,
    byte[] metadata) {

  private static final byte[] TAG = "ledgerscale-audit-leaf/1".getBytes(StandardCharsets.US_ASCII);

  /**
   * The leaf's bytes: a version tag, then every field in a fixed order, numbers as 8 bytes big
   * endian and everything else length-prefixed (4 bytes; -1 for a null, so null and empty differ).
   * Nothing is concatenated without a length, so no two rows share an encoding.
   */
  public byte[] leafData() {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(
            256
                + (payload == null ? 0 : payload.length)
                + (metadata == null ? 0 : metadata.length));
    bytes(out, TAG);
    number(out, globalIndex);
    text(out, eventId);
    text(out, aggregateId);
    number(out, sequenceNumber);
    text(out, aggregateType);
    text(out, payloadType);
    text(out, payloadRevision);
    text(out, timestamp);
    bytes(out, payload);
    bytes(out, metadata);
    return out.toByteArray();
  }

  public byte[] leafHash() {
    return LedgerHash.leaf(leafData());
  }

  private static void number(ByteArrayOutputStream out, long value) {
    out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
  }

  private static void text(ByteArrayOutputStream out, String value) {
    bytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
    if (value != null) {
      out.writeBytes(value);
    }
  }
}
