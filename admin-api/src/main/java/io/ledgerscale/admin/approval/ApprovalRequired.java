// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.approval;

import java.time.Instant;

/** The change was held for a second admin; answered 202 with the request to approve. */
public class ApprovalRequired extends RuntimeException {
  private final String requestId;
  private final String action;
  private final String summary;
  private final Instant expiresAt;

  public ApprovalRequired(String requestId, String action, String summary, Instant expiresAt) {
    super(
        "four-eyes: the change waits for another admin's approval (request " + requestId + ")",
        null,
        false,
        false);
    this.requestId = requestId;
    this.action = action;
    this.summary = summary;
    this.expiresAt = expiresAt;
  }

  public String requestId() {
    return requestId;
  }

  public String action() {
    return action;
  }

  public String summary() {
    return summary;
  }

  public Instant expiresAt() {
    return expiresAt;
  }
}
