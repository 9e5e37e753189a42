// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerscale.domain.api.apikey.MarkApiKeyUsedCommand;
import io.ledgerscale.domain.api.node.ApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.DeletePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.ExpirePreAuthKeyCommand;
import io.ledgerscale.domain.api.registration.ExpireRegistrationCommand;
import io.ledgerscale.domain.api.registration.RejectRegistrationCommand;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReleasedEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.ConfigureAddressPrefixesCommand;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.UserReleasedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The messages this module added or touched survive the Jackson serializer the server stores events
 * with.
 */
class MessageSerializationTest {
  private static final JacksonSerializer SERIALIZER =
      JacksonSerializer.builder()
          .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule()))
          .build();

  static List<Object> messages() {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    return List.of(
        new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48"),
        new AddressPrefixesConfiguredEvent("100.96.0.0/16", "fd7a:115c:a1e0:1::/64", "random"),
        new ConfigureAddressPrefixesCommand("100.96.0.0/16", "fd7a:115c:a1e0:1::/64", "random"),
        new UserReservedEvent(1, "alice"),
        new UserNameReassignedEvent(1, "alice", "alicia"),
        new UserReleasedEvent(1, "alicia"),
        new NodeReservedEvent(1, "mkey:1", "laptop", null, "100.64.0.1", "fd7a:115c:a1e0::1"),
        new NodeReservedEvent(
            2, "mkey:2", "db", null, "100.81.0.1", "fd7a:115c:a1e0::2", "100.81.0.0/16"),
        new NodeNameReassignedEvent(1, "laptop", "web"),
        new NodeOwnerReassignedEvent(1, 1L, null),
        new NodeReleasedEvent(1, "mkey:1", "web", "100.64.0.1", "fd7a:115c:a1e0::1"),
        new PreAuthKeyReservedEvent(1, "abcdefghijkl"),
        new ApiKeyReservedEvent(1, "abcdefghijkl"),
        new ApiKeyReleasedEvent(1, "abcdefghijkl"),
        new NodeReauthenticatedEvent(
            1, "mkey:1", "nodekey:1", "nodekey:2", RegisterMethod.AUTH_KEY, 3L, t),
        new ExpirePreAuthKeyCommand(3),
        new DeletePreAuthKeyCommand(3),
        new MarkApiKeyUsedCommand(2, t),
        new RejectRegistrationCommand("lskey-authreq-x", "no"),
        new ExpireRegistrationCommand("lskey-authreq-x"),
        new ExpireNodeCommand(1, null, true),
        new ApproveNodeRoutesCommand(1, List.of("10.0.0.0/24")),
        new SetPolicyCommand("{}"),
        new io.ledgerscale.domain.api.user.UpdateUserProfileCommand(
            1, "Alice", "a@example.com", null),
        new io.ledgerscale.domain.api.user.UserProfileUpdatedEvent(
            1, null, null, null, "Alice", "a@example.com", "https://pics/a"),
        new io.ledgerscale.domain.api.registration.RefuseOidcLoginCommand(
            "lskey-authreq-x", "iss/sub", "m@evil.example", "not allowed"),
        new io.ledgerscale.domain.api.node.RotateNodeKeyCommand(
            "mkey:1", "nodekey:1", "nodekey:2", "lskey-auth-x", t),
        new io.ledgerscale.domain.api.node.NodeKeyRotatedEvent(
            1, "mkey:1", "nodekey:1", "nodekey:2", 3L, null),
        new io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand(1, 2, "root", "root"),
        new io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent(
            "lskey-sshcheck-x", 1, 2, 1, "root", "", t),
        new io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand("lskey-sshcheck-x", 1L),
        new io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent("lskey-sshcheck-x", 1),
        new io.ledgerscale.domain.api.sshcheck.RejectSshCheckCommand("lskey-sshcheck-x", "no"),
        new io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent("lskey-sshcheck-x", "no"));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void shouldRoundTripThroughJackson(Object message) {
    SerializedObject<byte[]> serialized = SERIALIZER.serialize(message, byte[].class);

    Object back = SERIALIZER.deserialize(serialized);

    assertThat(back).isEqualTo(message);
    assertThat(new String(serialized.getData())).doesNotContain("targetAggregateId");
  }

  @Test
  void shouldReadANodeReservationStoredBeforeAddressPoolsAsFromTheTailnetsPrefix() {
    String stored =
        "{\"nodeId\":1,\"machineKey\":\"mkey:1\",\"givenName\":\"laptop\",\"userId\":1,"
            + "\"ipv4\":\"100.64.0.1\",\"ipv6\":\"fd7a:115c:a1e0::1\"}";
    Object back =
        SERIALIZER.deserialize(
            new SimpleSerializedObject<>(
                stored.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                byte[].class,
                NodeReservedEvent.class.getName(),
                "1"));

    assertThat(back)
        .isEqualTo(
            new NodeReservedEvent(1, "mkey:1", "laptop", 1L, "100.64.0.1", "fd7a:115c:a1e0::1"));
    assertThat(((NodeReservedEvent) back).ipv4Pool()).isNull();
  }
}
