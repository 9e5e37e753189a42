// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.util.List;

/** A node another node could reach, and on which ports ({@code *}, {@code 22}, {@code 80-443}). */
public record ReachablePeerView(
    long nodeId, String name, List<String> addresses, List<String> ports) {}
