// SPDX-License-Identifier: Apache-2.0
/**
 * The command side of Ledgerscale: event-sourced aggregates, one feature package each ({@code
 * tailnet}, {@code user}, {@code node}, {@code preauthkey}, {@code apikey}, {@code enrollment} (a
 * node joins the tailnet: pre-auth key, interactive login, key rotation, logout), {@code
 * policydocument}, {@code sshcheck}, {@code approval}, {@code deadletter}, {@code auditread}), and
 * the external command handlers that change several of them in one unit of work.
 *
 * <p>It speaks the message API (module {@code api}, packages {@code io.ledgerscale.domain.api}) and
 * uses the policy compiler (module {@code policy}, packages {@code io.ledgerscale.domain.policy}),
 * both outside this module and importing nothing from it (docs/design.md has the module table).
 *
 * <p>Packages here, and what each may import (no package cycles; {@code PackageCycleTest}):
 *
 * <ul>
 *   <li>{@code ledger}: the audit ledger's hashing, checkpoints and their verification; imports no
 *       other domain package. Used by projections and the CLI.
 *   <li>{@code support}: the toolbox (refusals, names, secrets, audit correlation); imports only
 *       {@code api}, never a feature package.
 *   <li>feature packages: {@code api}, {@code policy}, {@code support} and the features they load
 *       (e.g. {@code enrollment} loads {@code node}, {@code tailnet}, {@code user}, {@code
 *       preauthkey}, {@code policydocument}); never the other way round.
 *   <li>this root package: {@link io.ledgerscale.domain.DomainConfiguration}, the wiring root, the
 *       one class that knows every feature. Nothing in the domain imports it.
 * </ul>
 *
 * <p>Wiring (no Spring here; the server does it in {@code server/.../axon/DomainWiring} from a
 * {@code ConfigurerModule}, the in-JVM tests in {@code InJvmLedger}): {@link
 * io.ledgerscale.domain.DomainConfiguration} registers the aggregates, the external command
 * handlers (each constructed with the repositories and {@link java.time.Clock} its constructor
 * names) and the domain's own event handlers. Besides that, the caller makes a {@link
 * java.time.Clock} resolvable as a handler parameter (aggregate handlers take it) and gives the
 * command bus {@link io.ledgerscale.domain.support.RefusalsCommit} as its rollback configuration
 * and {@link io.ledgerscale.domain.support.AuditCorrelation#providers()} as correlation data
 * providers.
 */
package io.ledgerscale.domain;
