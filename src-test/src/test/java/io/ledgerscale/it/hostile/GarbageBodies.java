// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Request bodies that no JSON reader may take for a request: mutations of a valid body that break
 * its syntax, random bytes, a root that is not an object, nesting far beyond any limit, invalid
 * UTF-8 and raw control characters. A mutation that still reads as a JSON object could be an honest
 * request and is never returned.
 */
final class GarbageBodies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NOT_OBJECTS = {
    "[]", "\"x\"", "42", "true", "null", "[{}]", "1e999999", "\"\\u0000\""
  };

  private final Random random;

  GarbageBodies(long seed) {
    this.random = new Random(seed);
  }

  byte[] from(String valid) {
    for (; ; ) {
      byte[] body = mutate(valid.getBytes(StandardCharsets.UTF_8));
      if (!readsAsObject(body)) {
        return body;
      }
    }
  }

  private byte[] mutate(byte[] valid) {
    switch (random.nextInt(7)) {
      case 0 -> {
        return Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
      }
      case 1 -> {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        return b;
      }
      case 2 -> {
        byte[] b = valid.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
          b[random.nextInt(b.length)] = (byte) "{}[]:,\"\\\u0000\u00ff".charAt(random.nextInt(10));
        }
        return b;
      }
      case 3 -> {
        return NOT_OBJECTS[random.nextInt(NOT_OBJECTS.length)].getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> {
        int depth = 2_000 + random.nextInt(20_000);
        return ("{\"a\":" + "[".repeat(depth)).getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        // invalid UTF-8 inside the first string
        return splice(valid, new byte[] {(byte) 0xff, (byte) 0xc0, (byte) 0x80});
      }
      default -> {
        // a raw NUL or other control character inside the first string
        return splice(valid, new byte[] {(byte) random.nextInt(0x20)});
      }
    }
  }

  private static byte[] splice(byte[] valid, byte[] insert) {
    int at = indexOfQuote(valid) + 1;
    byte[] out = new byte[valid.length + insert.length];
    System.arraycopy(valid, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(valid, at, out, at + insert.length, valid.length - at);
    return out;
  }

  private static int indexOfQuote(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '"') {
        return i;
      }
    }
    return 0;
  }

  private static boolean readsAsObject(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject();
    } catch (Exception e) {
      return false;
    }
  }
}
