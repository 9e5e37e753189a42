// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Whether the server could take SIGHUP, asked in a JVM of its own started as a shell starts it:
 * normally, and with SIGHUP ignored (as {@code nohup} does), where the JVM keeps it ignored and the
 * server must say so rather than let a reload do nothing in silence.
 */
class HangupSignalTest {
  /** Installs the handler and prints why it is unavailable, or "installed". */
  public static void main(String[] args) {
    HangupSignal.install();
    System.out.print(HangupSignal.unavailable().orElse("installed"));
  }

  @Test
  void takesSighupWhenTheShellLeftItAlone() throws Exception {
    assertThat(probe("")).isEqualTo("installed");
  }

  @Test
  void saysSoWhenStartedWithSighupIgnored() throws Exception {
    assertThat(probe("trap '' HUP; ")).isEqualTo("SIGHUP was ignored when the server started");
  }

  private static String probe(String shellPrefix) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = shellPrefix + "exec \"$0\" -cp \"$1\" " + HangupSignalTest.class.getName();
    Process p =
        new ProcessBuilder(
                List.of("sh", "-c", command, java, System.getProperty("java.class.path")))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
