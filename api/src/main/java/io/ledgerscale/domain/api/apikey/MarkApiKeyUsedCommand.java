// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import io.ledgerscale.domain.api.AggregateIds;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that an API key was used. Sent at most once a minute per key so the trail is not flooded.
 */
public record MarkApiKeyUsedCommand(long apiKeyId, Instant usedAt) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.apiKey(apiKeyId);
  }
}
