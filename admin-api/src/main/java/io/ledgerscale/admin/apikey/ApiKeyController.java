// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.apikey;

import io.ledgerscale.admin.approval.FourEyesGate;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.apikey.DeleteApiKeyCommand;
import io.ledgerscale.domain.api.apikey.ExpireApiKeyCommand;
import io.ledgerscale.domain.api.apikey.IssuedApiKey;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.ApiKeyVerdict;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import io.ledgerscale.domain.api.query.VerifyApiKeyQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's API key endpoints. */
@RestController
@RequestMapping("/api/v1/apikey")
public class ApiKeyController {
  /** Headscale's default when the caller names no expiration. */
  static final Duration DEFAULT_EXPIRATION = Duration.ofDays(90);

  private final AdminGateway gateway;
  private final FourEyesGate fourEyes;

  public ApiKeyController(AdminGateway gateway, FourEyesGate fourEyes) {
    this.fourEyes = fourEyes;
    this.gateway = gateway;
  }

  public record CreateApiKeyRequest(Instant expiration) {}

  public record CreateApiKeyResponse(String apiKey) {}

  public record KeyRequest(String prefix, Long id) {}

  public record ApiKeysResponse(List<ApiKeyJson> apiKeys) {}

  @PostMapping
  public CreateApiKeyResponse create(@RequestBody CreateApiKeyRequest request) {
    Bounds.check(InputBounds.instant("expiration", request.expiration()));
    Instant expiration =
        Objects.requireNonNullElseGet(
            request.expiration(), () -> Instant.now().plus(DEFAULT_EXPIRATION));
    fourEyes.check(
        FourEyesAction.API_KEY_CREATION,
        new CreateApiKeyCommand(expiration),
        "create an API key expiring " + expiration);
    IssuedApiKey issued = gateway.send(new CreateApiKeyCommand(expiration));
    gateway.readAfterWrite(() -> find(issued.id()), key -> key != null);
    return new CreateApiKeyResponse(issued.key());
  }

  @GetMapping
  public ApiKeysResponse list() {
    return new ApiKeysResponse(
        gateway.queryList(new FetchApiKeysQuery(), ApiKeyView.class).stream()
            .map(ApiKeyJson::of)
            .toList());
  }

  /**
   * Answers once the expiry is in force: the key is refused from the moment the caller reads the
   * answer.
   */
  @PostMapping("/expire")
  public Map<String, Object> expire(@RequestBody KeyRequest request) {
    KeyRequest key = named(request.prefix(), request.id());
    gateway.send(new ExpireApiKeyCommand(key.id(), key.prefix()));
    awaitCredential(
        key,
        credential ->
            credential == null
                || credential.deleted()
                || credential.expiration() != null
                    && !credential.expiration().isAfter(Instant.now()));
    return Map.of();
  }

  @DeleteMapping({"", "/{prefix}"})
  public Map<String, Object> delete(
      @PathVariable(required = false) String prefix, @RequestParam(required = false) Long id) {
    KeyRequest key = named(prefix, id);
    gateway.send(new DeleteApiKeyCommand(key.id(), key.prefix()));
    awaitCredential(key, credential -> credential == null || credential.deleted());
    return Map.of();
  }

  private void awaitCredential(KeyRequest key, Predicate<ApiKeyCredential> inForce) {
    String prefix =
        key.prefix() != null
            ? key.prefix()
            : gateway.queryList(new FetchApiKeysQuery(), ApiKeyView.class).stream()
                .filter(view -> view.id() == key.id())
                .map(ApiKeyView::prefix)
                .findFirst()
                .orElse(null);
    if (prefix != null) {
      gateway.readAfterWrite(
          // what authentication reads (the key's own events): in force at once, however far the
          // api-keys read model has come
          () -> gateway.query(new VerifyApiKeyQuery(prefix), ApiKeyVerdict.class).credential(),
          inForce);
    }
  }

  /**
   * Exactly one of id and prefix, as Headscale requires; 0 and "" count as absent (grpc-gateway's
   * zero values).
   */
  private static KeyRequest named(String prefix, Long id) {
    Bounds.check(InputBounds.keyText("prefix", prefix));
    String bare = ApiKeyJson.barePrefix(prefix);
    Long keyId = id == null || id == 0 ? null : id;
    if ((bare == null) == (keyId == null)) {
      throw ApiProblem.badRequest("name the key by exactly one of id and prefix");
    }
    return new KeyRequest(bare, keyId);
  }

  private ApiKeyView find(long id) {
    return gateway.queryList(new FetchApiKeysQuery(), ApiKeyView.class).stream()
        .filter(key -> key.id() == id)
        .findFirst()
        .orElse(null);
  }
}
