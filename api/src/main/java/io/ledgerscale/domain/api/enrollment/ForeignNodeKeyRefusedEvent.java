// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.enrollment;

import org.axonframework.serialization.Revision;

/**
 * A machine presented the node key of node {@code nodeId}, which belongs to another machine, to
 * register, resume or log out with ({@code command}, the request's command), and was refused with
 * {@code reason}. Recorded on that node's stream; who tried, from where and when are in the event's
 * metadata like every other event's. Nothing changed.
 */
@Revision("1")
public record ForeignNodeKeyRefusedEvent(long nodeId, String command, String reason) {}
