// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.preauthkey;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.admin.support.UserDirectory;
import io.ledgerscale.admin.user.UserJson;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.DeletePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.ExpirePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FetchPreAuthKeysQuery;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
import io.ledgerscale.domain.api.query.UserView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's pre-auth key endpoints. */
@RestController
@RequestMapping("/api/v1/preauthkey")
public class PreAuthKeyController {
  /** Headscale's default when the caller names no expiration. */
  static final Duration DEFAULT_EXPIRATION = Duration.ofHours(1);

  private final AdminGateway gateway;
  private final UserDirectory users;

  public PreAuthKeyController(AdminGateway gateway, UserDirectory users) {
    this.gateway = gateway;
    this.users = users;
  }

  /**
   * {@code user} is Headscale's numeric id; a user name is accepted too, as older Headscale CLIs
   * sent it.
   */
  public record CreatePreAuthKeyRequest(
      String user,
      boolean reusable,
      boolean ephemeral,
      Instant expiration,
      @JsonAlias("acl_tags") List<String> aclTags) {}

  public record KeyIdRequest(Long id) {}

  public record PreAuthKeyResponse(PreAuthKeyJson preAuthKey) {}

  public record PreAuthKeysResponse(List<PreAuthKeyJson> preAuthKeys) {}

  @PostMapping
  public PreAuthKeyResponse create(@RequestBody CreatePreAuthKeyRequest request) {
    Bounds.check(
        InputBounds.text("user", request.user(), InputBounds.USER_NAME_MAX),
        InputBounds.instant("expiration", request.expiration()),
        InputBounds.tags("aclTags", request.aclTags()));
    String user = request.user();
    Long userId =
        user == null || user.isBlank() || "0".equals(user.strip()) ? null : users.resolve(user);
    Instant expiration =
        Objects.requireNonNullElseGet(
            request.expiration(), () -> Instant.now().plus(DEFAULT_EXPIRATION));
    List<String> tags = Objects.requireNonNullElse(request.aclTags(), List.of());
    IssuedPreAuthKey issued =
        gateway.send(
            new CreatePreAuthKeyCommand(
                userId, request.reusable(), request.ephemeral(), expiration, tags));
    PreAuthKeyView view = gateway.readAfterWrite(() -> find(issued.id()), key -> key != null);
    PreAuthKeyJson json =
        view != null
            ? PreAuthKeyJson.of(view, owner(view.userId(), view.userName()))
            : new PreAuthKeyJson(
                owner(userId, null),
                Long.toString(issued.id()),
                null,
                request.reusable(),
                request.ephemeral(),
                false,
                Timestamps.format(issued.expiration()),
                null,
                tags);
    return new PreAuthKeyResponse(json.withKey(issued.key()));
  }

  @GetMapping
  public PreAuthKeysResponse list(@RequestParam(required = false) String user) {
    Bounds.check(InputBounds.text("user", user, InputBounds.USER_NAME_MAX));
    Long userId =
        user == null || user.isBlank() || "0".equals(user.strip()) ? null : users.resolve(user);
    Map<Long, UserView> owners = users.byId();
    List<PreAuthKeyJson> keys =
        gateway.queryList(new FetchPreAuthKeysQuery(userId), PreAuthKeyView.class).stream()
            .filter(key -> !key.deleted())
            .map(key -> PreAuthKeyJson.of(key, owner(key.userId(), key.userName(), owners)))
            .toList();
    return new PreAuthKeysResponse(keys);
  }

  @PostMapping("/expire")
  public Map<String, Object> expire(@RequestBody KeyIdRequest request) {
    long keyId = required(request.id());
    gateway.send(new ExpirePreAuthKeyCommand(keyId));
    gateway.readAfterWrite(
        () -> find(keyId),
        key -> key == null || key.expiration() != null && !key.expiration().isAfter(Instant.now()));
    return Map.of();
  }

  @DeleteMapping
  public Map<String, Object> delete(@RequestParam(required = false) Long id) {
    long keyId = required(id);
    gateway.send(new DeletePreAuthKeyCommand(keyId));
    gateway.readAfterWrite(() -> find(keyId), key -> key == null || key.deleted());
    return Map.of();
  }

  private static long required(Long id) {
    if (id == null || id <= 0) {
      throw ApiProblem.badRequest("id is required");
    }
    return id;
  }

  private PreAuthKeyView find(long id) {
    return gateway.queryList(new FetchPreAuthKeysQuery(null), PreAuthKeyView.class).stream()
        .filter(key -> key.id() == id)
        .findFirst()
        .orElse(null);
  }

  private UserJson owner(Long userId, String userName) {
    return userId == null ? null : owner(userId, userName, users.byId());
  }

  private static UserJson owner(Long userId, String userName, Map<Long, UserView> owners) {
    if (userId == null) {
      return null;
    }
    UserView user = owners.get(userId);
    return user != null ? UserJson.of(user) : UserJson.named(userId, userName);
  }
}
