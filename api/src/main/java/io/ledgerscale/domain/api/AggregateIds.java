// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

/**
 * Aggregate identifiers: a type prefix and the numeric id (or auth id), because Axon keys event
 * streams by identifier alone and numeric ids of different types overlap.
 */
public final class AggregateIds {
  public static final String TAILNET = "tailnet";
  public static final String POLICY = "policy";
  public static final String DEAD_LETTER_DECISIONS = "deadletter-decisions";

  private AggregateIds() {}

  public static String user(long userId) {
    return "user-" + userId;
  }

  public static String node(long nodeId) {
    return "node-" + nodeId;
  }

  public static String preAuthKey(long keyId) {
    return "preauthkey-" + keyId;
  }

  public static String apiKey(long apiKeyId) {
    return "apikey-" + apiKeyId;
  }

  public static String registration(String authId) {
    return "registration-" + authId;
  }

  public static String sshCheck(String checkId) {
    return "sshcheck-" + checkId;
  }

  public static String approval(String requestId) {
    return "approval-" + requestId;
  }
}
