// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import java.time.Duration;

/**
 * How long a Noise session may wait for its first request ({@code handshake}) and sit without an
 * open request, or with open requests but no traffic ({@code idle}).
 */
record SessionTimeouts(Duration handshake, Duration idle) {}
