// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** A unified-style line diff between two policy versions (empty when the texts are equal). */
public record PolicyDiffView(
    long fromVersion, long toVersion, String fromSha256, String toSha256, String diff) {}
