// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.registration;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.query.FetchPendingRegistrationsQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our extension: the interactive registrations waiting for an admin, so nobody has to copy ids from
 * a browser.
 */
@RestController
public class RegistrationController {
  private final AdminGateway gateway;

  public RegistrationController(AdminGateway gateway) {
    this.gateway = gateway;
  }

  public record RegistrationJson(
      String authId,
      String machineKey,
      String nodeKey,
      String hostname,
      List<String> requestedTags,
      String requestedAt,
      String expiresAt,
      String status,
      String nodeId,
      String userId,
      String reason) {

    static RegistrationJson of(PendingRegistrationView view) {
      return new RegistrationJson(
          view.authId(),
          view.machineKey(),
          view.nodeKey(),
          view.hostname(),
          view.requestedTags() == null ? List.of() : view.requestedTags(),
          Timestamps.format(view.requestedAt()),
          Timestamps.format(view.expiresAt()),
          view.status(),
          view.nodeId() == null ? null : view.nodeId().toString(),
          view.userId() == null ? null : view.userId().toString(),
          view.reason());
    }
  }

  public record RegistrationsResponse(List<RegistrationJson> registrations) {}

  @GetMapping("/api/v1/registrations")
  public RegistrationsResponse pending() {
    return new RegistrationsResponse(
        gateway
            .queryList(new FetchPendingRegistrationsQuery(), PendingRegistrationView.class)
            .stream()
            .map(RegistrationJson::of)
            .toList());
  }
}
