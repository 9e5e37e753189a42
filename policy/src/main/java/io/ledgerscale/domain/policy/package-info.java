// SPDX-License-Identifier: Apache-2.0
/**
 * The Tailscale policy engine: pure Java, no I/O beyond the policy text.
 *
 * <ul>
 *   <li>{@link io.ledgerscale.domain.policy.Policy#parse(String)} parses and validates HuJSON,
 *       refusing with a {@link io.ledgerscale.domain.policy.PolicyException} (an
 *       IllegalArgumentException) that carries Tailscale's wording and the line and column.
 *   <li>{@link io.ledgerscale.domain.policy.compile.PolicyEngine#accept(String,
 *       io.ledgerscale.domain.policy.topology.TailnetSnapshot)} is what setting a policy calls:
 *       parse, compile, run the policy's {@code tests}; {@code compile(...)} is for a policy
 *       already in force.
 *   <li>{@link io.ledgerscale.domain.policy.compile.CompiledPolicy} answers per node: {@code
 *       filterFor} (the tailcfg.FilterRule list), {@code peersOf}, {@code sshPolicyFor}, {@code
 *       servedRoutes}, {@code pendingAutoApprovals}; {@code withNode} recompiles after one node
 *       changed and names the nodes whose filters or peers may have changed.
 *   <li>{@link io.ledgerscale.domain.policy.TagOwners} is the narrow contract the node commands
 *       use.
 * </ul>
 */
package io.ledgerscale.domain.policy;
