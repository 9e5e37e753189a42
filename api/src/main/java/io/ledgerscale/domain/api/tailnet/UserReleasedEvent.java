// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet freed a deleted user's name; the id is never reused. */
@Revision("1")
public record UserReleasedEvent(long userId, String name) {}
