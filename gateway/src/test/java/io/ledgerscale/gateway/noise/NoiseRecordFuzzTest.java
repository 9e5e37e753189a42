// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ledgerscale.testing.FuzzDeadline;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record layer under a byte stream that mixes authentic records, tampered ones, forged headers
 * and garbage, cut into arbitrary pieces: every authentic record before the first bad byte comes
 * out intact and in order, nothing else ever comes out, the only failure is a {@link
 * NoiseException}, and a failed decoder refuses everything after. The decoder's buffer is fixed, so
 * no input can make it allocate more than one frame.
 */
class NoiseRecordFuzzTest {
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  @FuzzTest(maxDuration = "20s")
  void deliversOnlyAuthenticRecordsInOrder(FuzzedDataProvider data) throws Exception {
    int chunk = data.consumeInt(1, 3 * NoiseMessages.MAX_MESSAGE_SIZE);
    TransportCipher peer = new TransportCipher(KEY);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<byte[]> authentic = new ArrayList<>();
    boolean spoiled = false;
    for (int op = 0; op < 32 && data.remainingBytes() > 0; op++) {
      switch (data.consumeInt(0, 3)) {
        case 0 -> {
          byte[] plain = data.consumeBytes(data.consumeInt(0, NoiseMessages.MAX_PLAINTEXT_SIZE));
          stream.writeBytes(peer.sealRecord(plain, 0, plain.length));
          if (!spoiled) {
            authentic.add(plain);
          }
        }
        case 1 -> {
          byte[] garbage =
              data.consumeBytes(data.consumeInt(0, 2 * NoiseMessages.MAX_MESSAGE_SIZE));
          stream.writeBytes(garbage);
          spoiled |= garbage.length > 0;
        }
        case 2 -> {
          byte[] plain = data.consumeBytes(data.consumeInt(0, 64));
          byte[] rec = peer.sealRecord(plain, 0, plain.length);
          int at = data.consumeInt(0, rec.length - 1);
          rec[at] ^= (byte) data.consumeInt(1, 255);
          stream.writeBytes(rec);
          spoiled = true;
        }
        default -> {
          // a header claiming any type and length, then whatever follows
          stream.write(data.consumeByte());
          int length = data.consumeInt(0, 0xffff);
          stream.write(length >>> 8);
          stream.write(length);
          stream.writeBytes(data.consumeBytes(data.consumeInt(0, 64)));
          spoiled = true;
        }
      }
    }
    byte[] wire = stream.toByteArray();
    FuzzDeadline.run(Duration.ofSeconds(10), () -> check(wire, chunk, authentic));
  }

  private static void check(byte[] wire, int chunk, List<byte[]> authentic) throws Exception {
    RecordDecoder decoder = new RecordDecoder(new TransportCipher(KEY));
    List<byte[]> out = new ArrayList<>();
    boolean failed = false;
    for (int pos = 0; pos < wire.length && !failed; pos += chunk) {
      ByteBuffer piece = ByteBuffer.wrap(wire, pos, Math.min(chunk, wire.length - pos));
      try {
        decoder.feed(piece, out::add);
      } catch (NoiseException e) {
        failed = true;
      }
    }
    if (out.size() > authentic.size()) {
      throw new AssertionError(out.size() + " records out, only " + authentic.size() + " sent");
    }
    for (int i = 0; i < out.size(); i++) {
      if (!Arrays.equals(out.get(i), authentic.get(i))) {
        throw new AssertionError("record " + i + " came out changed");
      }
    }
    if (out.size() < authentic.size()) {
      throw new AssertionError(
          "only " + out.size() + " of " + authentic.size() + " authentic records came out");
    }
    if (failed) {
      try {
        decoder.feed(ByteBuffer.wrap(new byte[] {NoiseMessages.TYPE_RECORD}), out::add);
        throw new AssertionError("a failed decoder took more input");
      } catch (NoiseException expected) {
        // refused, as it must be
      }
    }
  }
}
