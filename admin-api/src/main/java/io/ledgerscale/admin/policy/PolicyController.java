// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ledgerscale.admin.approval.FourEyesGate;
import io.ledgerscale.admin.health.StoredPolicyProblem;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.query.CheckPolicyQuery;
import io.ledgerscale.domain.api.query.FetchPolicyDiffQuery;
import io.ledgerscale.domain.api.query.FetchPolicyHistoryQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FetchPolicyReachQuery;
import io.ledgerscale.domain.api.query.FilterRuleView;
import io.ledgerscale.domain.api.query.PolicyCheckView;
import io.ledgerscale.domain.api.query.PolicyDiffView;
import io.ledgerscale.domain.api.query.PolicyReachView;
import io.ledgerscale.domain.api.query.PolicyVersionView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.ReachablePeerView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's policy endpoints; the document is HuJSON text, kept verbatim. */
@RestController
@RequestMapping("/api/v1/policy")
public class PolicyController {
  /**
   * Headscale's answer when no policy was ever set (database mode): a 500 whose text UIs look for
   * (Headplane shows an empty, writable policy on "acl policy not found").
   */
  static final String NOT_FOUND = "loading ACL from database: acl policy not found";

  private final AdminGateway gateway;
  private final FourEyesGate fourEyes;
  private final StoredPolicyProblem storedPolicyProblem;

  /** The policy file in file mode (absolute), null when the policy is managed through the API. */
  private final Path policyFile;

  public PolicyController(
      AdminGateway gateway,
      StoredPolicyProblem storedPolicyProblem,
      FourEyesGate fourEyes,
      @Value("${ledgerscale.policy.file:}") String policyFile) {
    this.fourEyes = fourEyes;
    this.gateway = gateway;
    this.storedPolicyProblem = storedPolicyProblem;
    this.policyFile = policyFile == null || policyFile.isBlank() ? null : Path.of(policyFile);
  }

  public record PolicyRequest(String policy) {}

  /**
   * Headscale's shape; {@code compileError} only on a read, and only when the stored policy does
   * not compile (it was accepted by an older, more lenient version).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyResponse(
      String policy,
      // always sent: Headscale sends null in file mode and clients tell the modes apart by it
      @JsonInclude(JsonInclude.Include.ALWAYS) String updatedAt,
      String compileError) {
    public PolicyResponse(String policy, String updatedAt) {
      this(policy, updatedAt, null);
    }
  }

  /**
   * Headscale's answers: in database mode the stored text and when it was set, or {@link
   * #NOT_FOUND}; in file mode the file as it is now, with {@code updatedAt} null (Headplane takes a
   * null {@code updatedAt} to mean the policy cannot be changed through the API).
   */
  @GetMapping
  public PolicyResponse get() {
    if (policyFile != null) {
      return new PolicyResponse(readPolicyFile(), null, storedPolicyProblem.describe());
    }
    PolicyView policy = gateway.query(new FetchPolicyQuery(), PolicyView.class);
    if (policy == null) {
      throw new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, NOT_FOUND);
    }
    return new PolicyResponse(
        policy.policy(), Timestamps.format(policy.updatedAt()), storedPolicyProblem.describe());
  }

  /** Headscale's wording for a file it cannot read, which Headplane recognises. */
  private String readPolicyFile() {
    long size;
    try {
      size = Files.size(policyFile);
    } catch (NoSuchFileException e) {
      throw new ApiProblem(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "reading policy from path \""
              + policyFile
              + "\": open "
              + policyFile
              + ": no such file or directory");
    } catch (IOException e) {
      throw new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "reading policy from file");
    }
    // the file is the operator's, but a wrong path (a log, a disk image) must not fill the heap
    if (size > 4L * InputBounds.POLICY_MAX) {
      throw new ApiProblem(
          HttpStatus.INTERNAL_SERVER_ERROR, "reading policy from file: the file is too large");
    }
    try {
      return Files.readString(policyFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "reading policy from file");
    }
  }

  @PutMapping
  public PolicyResponse set(@RequestBody PolicyRequest request) {
    String text = required(request);
    PolicyView before = gateway.query(new FetchPolicyQuery(), PolicyView.class);
    fourEyes.check(
        FourEyesAction.POLICY_CHANGES,
        new SetPolicyCommand(text),
        "change the policy (" + text.length() + " characters)");
    gateway.send(new SetPolicyCommand(text));
    long versionBefore = before == null ? Long.MIN_VALUE : before.version();
    PolicyView after =
        gateway.readAfterWrite(
            () -> gateway.query(new FetchPolicyQuery(), PolicyView.class),
            policy ->
                policy != null
                    && policy.version() != versionBefore
                    && text.equals(policy.policy()));
    return new PolicyResponse(text, after == null ? null : Timestamps.format(after.updatedAt()));
  }

  /**
   * The same verdict as setting it (same engine, same tailnet, its tests run), with nothing
   * changed.
   */
  @PostMapping("/check")
  public Map<String, Object> check(@RequestBody PolicyRequest request) {
    PolicyCheckView result =
        gateway.query(new CheckPolicyQuery(required(request)), PolicyCheckView.class);
    if (result == null || !result.valid()) {
      String reasons =
          result == null || result.errors() == null ? "" : String.join("; ", result.errors());
      throw new ApiProblem(HttpStatus.BAD_REQUEST, reasons);
    }
    return Map.of();
  }

  public record ReachNode(
      String id, String name, List<String> ipAddresses, List<String> tags, String user) {}

  public record ReachResponse(
      String at,
      long policyVersion,
      String policySha256,
      String policyChangedAt,
      ReachNode node,
      List<FilterRuleView> packetFilter,
      List<ReachablePeerView> peers) {}

  /**
   * What the node could reach at {@code at} (default: now), under which policy version; rebuilt
   * from the events.
   */
  @GetMapping("/reach")
  public ReachResponse reach(@RequestParam long node, @RequestParam(required = false) Instant at) {
    Bounds.check(InputBounds.instant("at", at));
    Instant when = at == null ? Instant.now() : at;
    PolicyReachView reach =
        gateway.query(new FetchPolicyReachQuery(node, when), PolicyReachView.class);
    if (reach == null) {
      throw ApiProblem.notFound("node " + node + " did not exist at " + Timestamps.format(when));
    }
    return new ReachResponse(
        Timestamps.format(reach.at()),
        reach.policyVersion(),
        reach.policySha256(),
        Timestamps.format(reach.policyChangedAt()),
        new ReachNode(
            Long.toString(reach.nodeId()),
            reach.nodeName(),
            reach.addresses(),
            reach.tags(),
            reach.user()),
        reach.packetFilter(),
        reach.peers());
  }

  public record DiffResponse(long from, long to, String fromSha256, String toSha256, String diff) {}

  @GetMapping("/diff")
  public DiffResponse diff(@RequestParam long from, @RequestParam long to) {
    PolicyDiffView diff = gateway.query(new FetchPolicyDiffQuery(from, to), PolicyDiffView.class);
    if (diff == null) {
      throw ApiProblem.notFound("no policy version " + from + " or " + to);
    }
    return new DiffResponse(
        diff.fromVersion(), diff.toVersion(), diff.fromSha256(), diff.toSha256(), diff.diff());
  }

  public record VersionJson(
      long version,
      String changedAt,
      String actorType,
      String actorId,
      String actorName,
      String origin,
      String sha256,
      String previousSha256) {}

  public record HistoryResponse(List<VersionJson> versions) {}

  /** Who changed the policy between two instants (both optional, inclusive), oldest first. */
  @GetMapping("/history")
  public HistoryResponse history(
      @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to) {
    Bounds.check(InputBounds.instant("from", from), InputBounds.instant("to", to));
    if (from != null && to != null && from.isAfter(to)) {
      throw ApiProblem.badRequest("from must not be after to");
    }
    List<PolicyVersionView> versions =
        gateway.queryList(new FetchPolicyHistoryQuery(from, to), PolicyVersionView.class);
    return new HistoryResponse(
        versions.stream()
            .map(
                v ->
                    new VersionJson(
                        v.version(),
                        Timestamps.format(v.changedAt()),
                        v.actorType(),
                        v.actorId(),
                        v.actorName(),
                        v.origin(),
                        v.sha256(),
                        v.previousSha256()))
            .toList());
  }

  private static String required(PolicyRequest request) {
    if (request.policy() == null || request.policy().isBlank()) {
      throw ApiProblem.badRequest("policy is required");
    }
    Bounds.check(InputBounds.policy("policy", request.policy()));
    return request.policy();
  }
}
