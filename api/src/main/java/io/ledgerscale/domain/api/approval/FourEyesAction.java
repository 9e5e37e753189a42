// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.node.TransferNodeCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.registration.ApproveRegistrationCommand;
import java.util.Locale;
import java.util.Optional;

/**
 * The changes that may need a second admin (four-eyes), each with the one command it carries: a
 * request names its action, and only that command type is ever read back from it.
 */
public enum FourEyesAction {
  REGISTRATION_APPROVALS(ApproveRegistrationCommand.class),
  POLICY_CHANGES(SetPolicyCommand.class),
  API_KEY_CREATION(CreateApiKeyCommand.class),
  TAG_CHANGES(SetNodeTagsCommand.class),
  OWNERSHIP_CHANGES(TransferNodeCommand.class);

  private final Class<?> command;

  FourEyesAction(Class<?> command) {
    this.command = command;
  }

  public Class<?> command() {
    return command;
  }

  /** The name in the configuration: {@code policy_changes}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<FourEyesAction> byKey(String key) {
    for (FourEyesAction a : values()) {
      if (a.key().equals(key)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
