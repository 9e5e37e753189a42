// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The answer to {@link VerifyApiKeyQuery}: the key's credential as its events leave it (deleted or
 * expired included), or null when no key has that prefix. {@code undecided} means the server could
 * not tell in time whether such a key exists (its read model is behind the event store): the caller
 * refuses for now and asks the client to retry, it never accepts.
 */
public record ApiKeyVerdict(ApiKeyCredential credential, boolean undecided) {
  public static ApiKeyVerdict of(ApiKeyCredential credential) {
    return new ApiKeyVerdict(credential, false);
  }

  public static ApiKeyVerdict unknown() {
    return new ApiKeyVerdict(null, false);
  }

  public static ApiKeyVerdict cannotTell() {
    return new ApiKeyVerdict(null, true);
  }
}
