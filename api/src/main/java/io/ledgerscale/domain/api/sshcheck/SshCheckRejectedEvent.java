// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import org.axonframework.serialization.Revision;

/** The SSH check was refused. */
@Revision("1")
public record SshCheckRejectedEvent(String checkId, String reason) {}
