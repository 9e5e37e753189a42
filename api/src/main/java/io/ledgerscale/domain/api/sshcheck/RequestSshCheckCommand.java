// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

/**
 * The destination node of a Tailscale SSH connection in check mode asks that the source node's
 * owner prove they are at the keyboard: {@code sshUser} is the login asked for, {@code localUser}
 * the account it maps to. Answers with the check id ({@code lskey-sshcheck-...}) the user or an
 * admin approves.
 */
public record RequestSshCheckCommand(
    long srcNodeId, long dstNodeId, String sshUser, String localUser) {}
