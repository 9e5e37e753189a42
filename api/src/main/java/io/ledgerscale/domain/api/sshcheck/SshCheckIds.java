// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

/**
 * SSH check ids are {@code lskey-sshcheck-} and 24 url-safe characters, so that {@code auth approve
 * --auth-id} and the {@code /auth/<id>} page can tell them from registration auth ids ({@code
 * lskey-authreq-}).
 */
public final class SshCheckIds {
  public static final String PREFIX = "lskey-sshcheck-";

  private SshCheckIds() {}

  public static boolean isSshCheckId(String id) {
    return id != null && id.startsWith(PREFIX);
  }
}
