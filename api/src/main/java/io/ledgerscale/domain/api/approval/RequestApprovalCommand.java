// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Instant;

/**
 * Asks a second admin to approve a change: {@code commandJson} is the change's command, of the one
 * type {@code action} allows, held until an admin other than the requester approves (and it runs)
 * or rejects it, or it expires at {@code expiresAt}. The requester is the command's actor.
 */
public record RequestApprovalCommand(
    String requestId,
    FourEyesAction action,
    String commandJson,
    String summary,
    Instant expiresAt) {

  public static final int COMMAND_MAX = 1024 * 1024;
  public static final int SUMMARY_MAX = 512;
}
