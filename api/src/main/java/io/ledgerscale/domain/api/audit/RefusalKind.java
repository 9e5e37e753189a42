// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

/** Why a command was refused; the admin API maps each kind to one HTTP status. */
public enum RefusalKind {
  /** 400: the command itself is malformed (bad name, bad tag syntax, bad CIDR). */
  INVALID,
  /** 404: what the command names does not exist (or no longer does). */
  NOT_FOUND,
  /**
   * 409: it would break a uniqueness rule or the current state forbids it (user still owns nodes).
   */
  CONFLICT,
  /** 403: the actor may not do this (tag not owned per tagOwners). */
  NOT_PERMITTED,
  /** 401: a credential is unknown, expired, used up or deleted. */
  CREDENTIAL_REJECTED
}
