// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import io.ledgerscale.domain.api.bounds.Excerpts;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Finds users the way operators name them: by name (as Headscale's CLI does) or by numeric id. */
@Component
public class UserDirectory {
  private final AdminGateway gateway;

  public UserDirectory(AdminGateway gateway) {
    this.gateway = gateway;
  }

  public List<UserView> all() {
    return gateway.queryList(new FetchUsersQuery(null, null, null), UserView.class);
  }

  public Map<Long, UserView> byId() {
    return all().stream().collect(Collectors.toMap(UserView::id, Function.identity(), (a, b) -> a));
  }

  /**
   * The id of the user a reference names; tagged-devices is a valid owner to filter by. A name wins
   * over an id.
   */
  public long resolve(String reference) {
    if (reference == null || reference.isBlank()) {
      throw ApiProblem.badRequest("a user is required");
    }
    Bounds.check(InputBounds.text("user", reference, InputBounds.USER_NAME_MAX));
    String ref = reference.strip();
    if (TaggedDevices.USER_NAME.equals(ref)) {
      return TaggedDevices.USER_ID;
    }
    List<UserView> named =
        gateway.queryList(new FetchUsersQuery(null, ref, null), UserView.class).stream()
            .filter(user -> ref.equals(user.name()))
            .toList();
    if (!named.isEmpty()) {
      return named.get(0).id();
    }
    if (ref.chars().allMatch(c -> c >= '0' && c <= '9') && ref.length() < 19) {
      long id = Long.parseLong(ref);
      if (id == TaggedDevices.USER_ID) {
        return id;
      }
      if (!gateway.queryList(new FetchUsersQuery(id, null, null), UserView.class).isEmpty()) {
        return id;
      }
    }
    throw ApiProblem.notFound("no user named or numbered " + Excerpts.of(ref));
  }
}
