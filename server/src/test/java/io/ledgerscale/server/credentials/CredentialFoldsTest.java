// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

/** The folds that decide from an aggregate's events rebuild what its aggregate does. */
class CredentialFoldsTest {
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  private static List<DomainEventMessage<?>> stream(String id, Object... payloads) {
    List<DomainEventMessage<?>> out = new ArrayList<>();
    for (int i = 0; i < payloads.length; i++) {
      out.add(new GenericDomainEventMessage<>("T", id, i, payloads[i]));
    }
    return out;
  }

  @Test
  void shouldSeeAnApiKeyDeletedOrExpiredByItsEvents() {
    ApiKeyCredential created =
        ApiKeyVerification.fold(
            stream("apikey-1", new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "h", T)), "aaaabbbbcccc");
    assertThat(created).isEqualTo(new ApiKeyCredential(1, "aaaabbbbcccc", "h", T, false));

    ApiKeyCredential expired =
        ApiKeyVerification.fold(
            stream(
                "apikey-1",
                new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "h", T.plusSeconds(60)),
                new ApiKeyUsedEvent(1, T),
                new ApiKeyExpiredEvent(1, "aaaabbbbcccc", T)),
            "aaaabbbbcccc");
    assertThat(expired.expiration()).isEqualTo(T);
    assertThat(expired.deleted()).isFalse();

    ApiKeyCredential deleted =
        ApiKeyVerification.fold(
            stream(
                "apikey-1",
                new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "h", T),
                new ApiKeyDeletedEvent(1, "aaaabbbbcccc")),
            "aaaabbbbcccc");
    assertThat(deleted.deleted()).isTrue();
  }

  @Test
  void shouldNameNoKeyForAnotherPrefixOrAnEmptyStream() {
    assertThat(
            ApiKeyVerification.fold(
                stream("apikey-1", new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "h", T)),
                "zzzzzzzzzzzz"))
        .isNull();
    assertThat(ApiKeyVerification.fold(List.of(), "aaaabbbbcccc")).isNull();
  }

  @Test
  void shouldFollowANodesKeyExpiryAndDeletion() {
    NodeRegisteredEvent registered =
        new NodeRegisteredEvent(
            7,
            "mkey:m",
            "nodekey:a",
            "h",
            "h",
            1L,
            List.of(),
            "100.64.0.7",
            null,
            RegisterMethod.values()[0],
            2L,
            false,
            null);
    NodeKeyVerification.Keys rotated =
        NodeKeyVerification.fold(
            stream(
                "node-7",
                registered,
                new NodeKeyRotatedEvent(7, "mkey:m", "nodekey:a", "nodekey:b", 2L, T),
                new NodeExpiryChangedEvent(7, T, T.minusSeconds(1))));
    assertThat(rotated)
        .isEqualTo(new NodeKeyVerification.Keys("mkey:m", "nodekey:b", T.minusSeconds(1), false));

    NodeKeyVerification.Keys deleted =
        NodeKeyVerification.fold(
            stream("node-7", registered, new NodeDeletedEvent(7, "h", List.of("100.64.0.7"))));
    assertThat(deleted.deleted()).isTrue();
    assertThat(NodeKeyVerification.fold(List.of())).isNull();
  }

  @Test
  void shouldShowARegistrationAsItsEventsLeaveIt() {
    String authId = "lskey-authreq-abc";
    PendingRegistrationView approved =
        RegistrationLookup.fold(
            stream(
                "registration-" + authId,
                new RegistrationRequestedEvent(
                    authId, "mkey:m", "nodekey:n", "laptop", null, null, T),
                new RegistrationApprovedEvent(authId, 3, 9)));

    assertThat(approved.status()).isEqualTo("APPROVED");
    assertThat(approved.userId()).isEqualTo(3);
    assertThat(approved.nodeId()).isEqualTo(9);
    assertThat(approved.requestedTags()).isEmpty();
    assertThat(approved.expiresAt()).isEqualTo(T);
    assertThat(RegistrationLookup.fold(List.of())).isNull();
  }
}
