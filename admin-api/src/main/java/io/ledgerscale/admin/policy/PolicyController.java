// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.policy;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.query.CheckPolicyQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyCheckView;
import io.ledgerscale.domain.api.query.PolicyView;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's policy endpoints; the document is HuJSON text, kept verbatim. */
@RestController
@RequestMapping("/api/v1/policy")
public class PolicyController {
  private final AdminGateway gateway;

  public PolicyController(AdminGateway gateway) {
    this.gateway = gateway;
  }

  public record PolicyRequest(String policy) {}

  public record PolicyResponse(String policy, String updatedAt) {}

  @GetMapping
  public PolicyResponse get() {
    PolicyView policy = gateway.query(new FetchPolicyQuery(), PolicyView.class);
    if (policy == null) {
      throw ApiProblem.notFound("no policy has been set");
    }
    return new PolicyResponse(policy.policy(), Timestamps.format(policy.updatedAt()));
  }

  @PutMapping
  public PolicyResponse set(@RequestBody PolicyRequest request) {
    String text = required(request);
    PolicyView before = gateway.query(new FetchPolicyQuery(), PolicyView.class);
    gateway.send(new SetPolicyCommand(text));
    long versionBefore = before == null ? Long.MIN_VALUE : before.version();
    PolicyView after = gateway.readAfterWrite(
        () -> gateway.query(new FetchPolicyQuery(), PolicyView.class),
        policy -> policy != null && policy.version() != versionBefore && text.equals(policy.policy()));
    return new PolicyResponse(text, after == null ? null : Timestamps.format(after.updatedAt()));
  }

  @PostMapping("/check")
  public Map<String, Object> check(@RequestBody PolicyRequest request) {
    PolicyCheckView result = gateway.query(new CheckPolicyQuery(required(request)), PolicyCheckView.class);
    if (result == null || !result.valid()) {
      String reasons = result == null || result.errors() == null ? "" : String.join("; ", result.errors());
      throw new ApiProblem(HttpStatus.BAD_REQUEST, "policy is invalid: " + reasons);
    }
    return Map.of();
  }

  private static String required(PolicyRequest request) {
    if (request.policy() == null || request.policy().isBlank()) {
      throw ApiProblem.badRequest("policy is required");
    }
    return request.policy();
  }
}
