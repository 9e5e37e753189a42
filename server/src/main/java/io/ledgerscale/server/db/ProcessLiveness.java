// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether a process still runs. A killed postmaster is not our child, so Java's onExit() would
 * notice it only after seconds of back-off polling; and where nothing reaps orphans it stays a
 * zombie that ProcessHandle still calls alive. On Linux its state in /proc says which.
 */
final class ProcessLiveness {
  private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

  private ProcessLiveness() {}

  static boolean alive(long pid) {
    if (pid <= 0) {
      return false;
    }
    if (!PROC) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int endOfName = stat.lastIndexOf(')');
      char state =
          endOfName > 0 && endOfName + 2 < stat.length() ? stat.charAt(endOfName + 2) : '?';
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  /**
   * Whether a live process works in {@code directory}: PostgreSQL's processes all run in their data
   * directory, so after the postmaster died this finds its backends that have not exited yet.
   * Processes of other users cannot be inspected and are not counted; only Linux is checked.
   */
  static boolean anyRunningIn(Path directory) throws IOException {
    if (!PROC) {
      return false;
    }
    Path target = directory.toRealPath();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .anyMatch(
              p -> {
                try {
                  return Files.readSymbolicLink(p.resolve("cwd")).equals(target)
                      && alive(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException unreadable) {
                  return false;
                }
              });
    }
  }
}
