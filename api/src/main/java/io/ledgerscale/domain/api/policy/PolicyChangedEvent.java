// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.policy;

import org.axonframework.serialization.Revision;

/** The policy changed. The full HuJSON text is kept, with a diff against the version before. */
@Revision("1")
public record PolicyChangedEvent(
    long version, String policy, String sha256, String previousSha256, String diff) {}
