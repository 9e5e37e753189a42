// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import java.time.Duration;

/**
 * How long a Noise session may wait for its first request ({@code handshake}), sit without an open
 * request ({@code idle}), and stay silent both ways while a request is open ({@code silence}: a
 * follow-up long-poll waiting for a login sends nothing until it is answered).
 */
record SessionTimeouts(Duration handshake, Duration idle, Duration silence) {}
