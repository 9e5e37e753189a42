// SPDX-License-Identifier: Apache-2.0
/**
 * The command side of Ledgerscale: event-sourced aggregates ({@code Tailnet}, {@code User}, {@code
 * Node}, {@code PreAuthKey}, {@code ApiKey}, {@code RegistrationRequest}, {@code PolicyDocument},
 * {@code SshCheck}) and the external command handlers that change several of them in one unit of
 * work.
 *
 * <p>Wiring (no Spring here; the server does it, most simply with {@link
 * io.ledgerscale.domain.support.DomainConfiguration} from a {@code ConfigurerModule}):
 *
 * <ul>
 *   <li>register the eight aggregates as event-sourced aggregates;
 *   <li>register the handler classes {@code UserCommandHandler}, {@code PreAuthKeyIssuer}, {@code
 *       ApiKeyCommandHandler}, {@code NodeRegistrar}, {@code NodeKeyRotation}, {@code
 *       NodeAdministration}, {@code SshCheckRequester} and {@code RegistrationCommandHandler}, each
 *       constructed with the repositories and {@link java.time.Clock} its constructor names;
 *   <li>make a {@link java.time.Clock} resolvable as a handler parameter (aggregate handlers take
 *       it);
 *   <li>give the command bus {@link io.ledgerscale.domain.support.RefusalsCommit} as its rollback
 *       configuration and {@link io.ledgerscale.domain.support.AuditCorrelation#providers()} as
 *       correlation data providers.
 * </ul>
 */
package io.ledgerscale.domain;
