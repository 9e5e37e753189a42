// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    return alive(pid, stat -> Files.readString(stat));
  }

  /** How a process's /proc stat file is read; tests stand in a failing one. */
  interface StatReader {
    String read(Path stat) throws IOException;
  }

  static boolean alive(long pid, StatReader reader) {
    if (pid <= 0) {
      return false;
    }
    if (!PROC) {
      return signalable(pid);
    }
    try {
      String stat = reader.read(Path.of("/proc", Long.toString(pid), "stat"));
      int endOfName = stat.lastIndexOf(')');
      char state =
          endOfName > 0 && endOfName + 2 < stat.length() ? stat.charAt(endOfName + 2) : '?';
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException unreadable) {
      // no descriptor left (a fleet at the fd limit), or the process exiting while it is read:
      // neither says the postmaster died, and a restart would stop a running one. Ask the kernel
      // without a file instead (a zombie counts as alive there; the next look tells).
      return signalable(pid);
    }
  }

  private static boolean signalable(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
