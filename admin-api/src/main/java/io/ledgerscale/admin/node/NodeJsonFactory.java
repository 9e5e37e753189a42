// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.node;

import io.ledgerscale.admin.preauthkey.PreAuthKeyJson;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.UserDirectory;
import io.ledgerscale.admin.user.UserJson;
import io.ledgerscale.domain.api.query.FetchPreAuthKeysQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
import io.ledgerscale.domain.api.query.UserView;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Builds node JSON with its owner and pre-auth key filled in, reading users and keys once per
 * answer.
 */
@Component
public class NodeJsonFactory {
  private final AdminGateway gateway;
  private final UserDirectory users;

  public NodeJsonFactory(AdminGateway gateway, UserDirectory users) {
    this.gateway = gateway;
    this.users = users;
  }

  /** The node once the projection shows a change, for the answer to the command that made it. */
  public NodeJson afterChange(long nodeId, Predicate<NodeView> changed) {
    NodeView node =
        gateway.readAfterWrite(() -> find(nodeId), view -> view != null && changed.test(view));
    if (node == null) {
      throw ApiProblem.notFound("no node with id " + nodeId);
    }
    return one(node);
  }

  public NodeView find(long nodeId) {
    return gateway.query(new FindNodeQuery(nodeId), NodeView.class);
  }

  public NodeJson one(NodeView node) {
    return all(List.of(node)).get(0);
  }

  public List<NodeJson> all(List<NodeView> nodes) {
    if (nodes.isEmpty()) {
      return List.of();
    }
    Map<Long, UserView> owners = users.byId();
    Map<Long, PreAuthKeyView> keys =
        nodes.stream().anyMatch(node -> node.preAuthKeyId() != null)
            ? gateway.queryList(new FetchPreAuthKeysQuery(null), PreAuthKeyView.class).stream()
                .collect(Collectors.toMap(PreAuthKeyView::id, Function.identity(), (a, b) -> a))
            : Map.of();
    return nodes.stream()
        .map(node -> NodeJson.of(node, owner(node, owners), key(node, keys, owners)))
        .toList();
  }

  private static UserJson owner(NodeView node, Map<Long, UserView> owners) {
    if (node.owner().isTagged()) {
      return UserJson.taggedDevices();
    }
    UserView user = owners.get(node.userId());
    return user != null ? UserJson.of(user) : UserJson.named(node.userId(), node.userName());
  }

  private static PreAuthKeyJson key(
      NodeView node, Map<Long, PreAuthKeyView> keys, Map<Long, UserView> owners) {
    PreAuthKeyView key = node.preAuthKeyId() == null ? null : keys.get(node.preAuthKeyId());
    if (key == null) {
      return null;
    }
    UserView user = key.userId() == null ? null : owners.get(key.userId());
    UserJson keyOwner =
        key.userId() == null
            ? null
            : user != null ? UserJson.of(user) : UserJson.named(key.userId(), key.userName());
    return PreAuthKeyJson.of(key, keyOwner);
  }
}
