// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.node;

import io.ledgerscale.admin.preauthkey.PreAuthKeyJson;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.admin.user.UserJson;
import io.ledgerscale.domain.api.query.NodeView;
import java.util.List;
import java.util.Objects;

/**
 * Headscale's v1 Node. {@code name} is the hostname the client reported and {@code givenName} the
 * DNS name the tailnet uses, as in Headscale.
 */
public record NodeJson(
    String id,
    String machineKey,
    String nodeKey,
    String discoKey,
    List<String> ipAddresses,
    String name,
    UserJson user,
    String lastSeen,
    String expiry,
    PreAuthKeyJson preAuthKey,
    String createdAt,
    String registerMethod,
    String givenName,
    boolean online,
    List<String> approvedRoutes,
    List<String> availableRoutes,
    List<String> subnetRoutes,
    List<String> tags) {

  static NodeJson of(NodeView node, UserJson owner, PreAuthKeyJson preAuthKey) {
    List<String> approved = listOf(node.approvedRoutes());
    List<String> available = listOf(node.availableRoutes());
    return new NodeJson(
        Long.toString(node.id()),
        text(node.machineKey()),
        text(node.nodeKey()),
        text(node.discoKey()),
        listOf(node.ipAddresses()),
        text(node.hostname()),
        owner,
        Timestamps.format(node.lastSeen()),
        Timestamps.format(node.expiry()),
        preAuthKey,
        Timestamps.format(node.createdAt()),
        registerMethod(node.registerMethod()),
        text(node.givenName()),
        node.online(),
        approved,
        available,
        // a route is served once it is both announced and approved; choosing one primary among HA
        // routers is the
        // gateway's job and not in the view, so every such route is listed
        approved.stream().filter(available::contains).toList(),
        listOf(node.tags()));
  }

  /** Headscale's enum name, whether the view holds it already or only the domain's short name. */
  static String registerMethod(String method) {
    if (method == null || method.isBlank()) {
      return "REGISTER_METHOD_UNSPECIFIED";
    }
    return method.startsWith("REGISTER_METHOD_") ? method : "REGISTER_METHOD_" + method;
  }

  private static String text(String value) {
    return Objects.requireNonNullElse(value, "");
  }

  private static List<String> listOf(List<String> values) {
    return values == null ? List.of() : values;
  }
}
