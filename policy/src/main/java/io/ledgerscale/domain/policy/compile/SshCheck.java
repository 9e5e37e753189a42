// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import java.time.Duration;

/**
 * What a check rule asks of the server before a connection may go on: the connecting user must have
 * passed an SSH check within {@code period} (zero: at every connection). Which URL the node fetches
 * to learn the answer is the gateway's to name ({@link SshPolicy#withCheckUrl}); the compiler only
 * says that a check is due.
 */
public record SshCheck(Duration period) {}
