// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ledgerscale.testing.FuzzDeadline;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The responder under arbitrary initiation messages (mutated from a real one, so the fuzzer gets
 * past the framing checks into the crypto): a session comes out only for an authentic initiation,
 * anything else is a {@link NoiseException}, never another exception.
 */
class NoiseHandshakeFuzzTest {
  private static final byte[] SERVER_PRIVATE = Curve25519.clamp(filled(32, 3));
  private static final byte[] EPHEMERAL_PRIVATE = Curve25519.clamp(filled(32, 5));
  private static final NoiseResponder RESPONDER =
      new NoiseResponder(SERVER_PRIVATE, new SecureRandom());

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "20s")
  void refusesAnythingButAnAuthenticInitiation(byte[] initiation) throws Exception {
    FuzzDeadline.run(
        Duration.ofSeconds(10),
        () -> {
          NoiseSession session;
          try {
            session = RESPONDER.respond(initiation, EPHEMERAL_PRIVATE);
          } catch (NoiseException e) {
            return;
          }
          if (session.peerMachineKey().length != Curve25519.KEY_SIZE
              || session.response().length != NoiseMessages.RESPONSE_SIZE) {
            throw new AssertionError("malformed session from an accepted initiation");
          }
        });
  }

  static Stream<Arguments> seeds() throws Exception {
    SecureRandom fixed = SecureRandom.getInstance("SHA1PRNG");
    fixed.setSeed(42);
    byte[] valid = new TestInitiator(RESPONDER.staticPublic(), 113, fixed).initiation();
    byte[] tooShort = Arrays.copyOf(valid, valid.length - 1);
    byte[] oldVersion = valid.clone();
    oldVersion[1] = 1;
    return Stream.of(valid, tooShort, oldVersion, new byte[0]).map(b -> Arguments.of((Object) b));
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
