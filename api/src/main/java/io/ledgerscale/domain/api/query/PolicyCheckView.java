// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.util.List;

/** The outcome of {@link CheckPolicyQuery}: valid, or the reasons it is not. */
public record PolicyCheckView(boolean valid, List<String> errors) {}
