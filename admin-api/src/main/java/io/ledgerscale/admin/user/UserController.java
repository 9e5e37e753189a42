// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.user;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.DeleteUserCommand;
import io.ledgerscale.domain.api.user.RenameUserCommand;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's user endpoints. */
@RestController
@RequestMapping("/api/v1/user")
public class UserController {
  private final AdminGateway gateway;

  public UserController(AdminGateway gateway) {
    this.gateway = gateway;
  }

  public record CreateUserRequest(
      String name,
      @JsonAlias("display_name") String displayName,
      String email,
      @JsonAlias("picture_url") String pictureUrl) {}

  public record UserResponse(UserJson user) {}

  public record UsersResponse(List<UserJson> users) {}

  @PostMapping
  public UserResponse create(@RequestBody CreateUserRequest request) {
    if (request.name() == null || request.name().isBlank()) {
      throw ApiProblem.badRequest("name is required");
    }
    Bounds.check(
        InputBounds.userName("name", request.name()),
        InputBounds.displayName("displayName", request.displayName()),
        InputBounds.email("email", request.email()),
        InputBounds.pictureUrl("pictureUrl", request.pictureUrl()));
    Number id =
        gateway.send(
            new CreateUserCommand(
                request.name(),
                request.displayName(),
                request.email(),
                request.pictureUrl(),
                null,
                null));
    UserView created = gateway.readAfterWrite(() -> find(id.longValue()), user -> user != null);
    if (created == null) {
      return new UserResponse(
          new UserJson(
              id.toString(),
              request.name(),
              null,
              UserJson.text(request.displayName()),
              UserJson.text(request.email()),
              "",
              "",
              UserJson.text(request.pictureUrl())));
    }
    return new UserResponse(UserJson.of(created));
  }

  @GetMapping
  public UsersResponse list(
      @RequestParam(required = false) Long id,
      @RequestParam(required = false) String name,
      @RequestParam(required = false) String email) {
    Bounds.check(
        InputBounds.text("name", name, InputBounds.USER_NAME_MAX),
        InputBounds.text("email", email, InputBounds.EMAIL_MAX));
    // grpc-gateway sends unset fields as zero values; 0 and "" mean "no filter"
    FetchUsersQuery query =
        new FetchUsersQuery(
            id == null || id == 0 ? null : id, blankToNull(name), blankToNull(email));
    return new UsersResponse(
        gateway.queryList(query, UserView.class).stream().map(UserJson::of).toList());
  }

  @PostMapping("/{oldId}/rename/{newName}")
  public UserResponse rename(@PathVariable long oldId, @PathVariable String newName) {
    Bounds.check(InputBounds.userName("newName", newName));
    gateway.send(new RenameUserCommand(oldId, newName));
    UserView renamed =
        gateway.readAfterWrite(
            () -> find(oldId), user -> user != null && newName.equals(user.name()));
    if (renamed == null) {
      throw ApiProblem.notFound("no user with id " + oldId);
    }
    return new UserResponse(UserJson.of(renamed));
  }

  @DeleteMapping("/{id}")
  public Map<String, Object> delete(@PathVariable long id) {
    gateway.send(new DeleteUserCommand(id));
    gateway.readAfterWrite(() -> find(id), user -> user == null);
    return Map.of();
  }

  private UserView find(long id) {
    return gateway.queryList(new FetchUsersQuery(id, null, null), UserView.class).stream()
        .filter(user -> user.id() == id)
        .findFirst()
        .orElse(null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
