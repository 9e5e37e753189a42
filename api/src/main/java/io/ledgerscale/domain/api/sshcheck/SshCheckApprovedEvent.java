// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import org.axonframework.serialization.Revision;

/** {@code userId} passed the SSH check; the event's timestamp is when they last authenticated. */
@Revision("1")
public record SshCheckApprovedEvent(String checkId, long userId) {}
