// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.reload;

/**
 * Something the server can read again while it runs, when the operator asks (SIGHUP, as {@code
 * systemctl reload} sends it). A bean that implements this is reloaded on every request.
 */
public interface Reloadable {
  /**
   * Reads again and applies what changed. Input that cannot be applied must leave what runs in
   * place and be reported (log, health), never thrown: a reload must not stop the server.
   *
   * @param cause who asked, for the log and the audit trail (for example "SIGHUP")
   */
  void reload(String cause);
}
