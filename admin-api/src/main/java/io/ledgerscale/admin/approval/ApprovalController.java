// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.approval;

import io.ledgerscale.admin.audit.AuditReads;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.approval.ApprovalView;
import io.ledgerscale.domain.api.approval.DecideApprovalCommand;
import io.ledgerscale.domain.api.approval.FetchApprovalsQuery;
import io.ledgerscale.domain.api.bounds.InputBounds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our extension: four-eyes requests, listed, approved or rejected by an admin other than the
 * requester.
 */
@RestController
public class ApprovalController {
  private final AdminGateway gateway;
  private final AuditReads reads;

  public ApprovalController(AdminGateway gateway) {
    this.gateway = gateway;
    this.reads = new AuditReads(gateway);
  }

  public record ApprovalJson(
      String id,
      String action,
      String summary,
      String requesterType,
      String requesterId,
      String requesterName,
      String requestedAt,
      String expiresAt,
      String status,
      String deciderId,
      String deciderName,
      String reason,
      String decidedAt) {
    static ApprovalJson of(ApprovalView v) {
      return new ApprovalJson(
          v.requestId(),
          v.action(),
          v.summary(),
          v.requesterType(),
          v.requesterId(),
          v.requesterName(),
          Timestamps.format(v.requestedAt()),
          Timestamps.format(v.expiresAt()),
          v.status(),
          v.deciderId(),
          v.deciderName(),
          v.reason(),
          v.decidedAt() == null ? null : Timestamps.format(v.decidedAt()));
    }
  }

  public record ApprovalsResponse(List<ApprovalJson> approvals) {}

  public record RejectRequest(String reason) {}

  @GetMapping("/api/v1/approvals")
  public ApprovalsResponse list(@RequestParam(defaultValue = "false") boolean all) {
    List<ApprovalJson> found =
        gateway.queryList(new FetchApprovalsQuery(!all), ApprovalView.class).stream()
            .map(ApprovalJson::of)
            .toList();
    reads.record("approvals", AuditReads.query("all", all ? true : null), found.size());
    return new ApprovalsResponse(found);
  }

  @PostMapping("/api/v1/approvals/{id}/approve")
  public Map<String, Object> approve(@PathVariable String id) {
    Bounds.check(InputBounds.requiredText("id", id, InputBounds.ID_TEXT_MAX));
    Object result = gateway.send(new DecideApprovalCommand(id, true, null));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    answer.put("status", "APPROVED");
    // what the held change answered (an API key's secret is shown here, once, to the approver)
    answer.put("result", result);
    return answer;
  }

  @PostMapping("/api/v1/approvals/{id}/reject")
  public Map<String, Object> reject(
      @PathVariable String id, @RequestBody(required = false) RejectRequest request) {
    String reason = request == null ? null : request.reason();
    Bounds.check(
        InputBounds.requiredText("id", id, InputBounds.ID_TEXT_MAX),
        InputBounds.reason("reason", reason));
    gateway.send(new DecideApprovalCommand(id, false, reason));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    answer.put("status", "REJECTED");
    return answer;
  }
}
