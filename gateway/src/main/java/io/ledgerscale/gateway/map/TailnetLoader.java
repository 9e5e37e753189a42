// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.FindNodeByNodeKeyQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserTokens;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link MapSnapshot} from the read models (through queries) and the connectivity port,
 * and compiles the policy against it. The compiled policy is reused while the policy text and the
 * tailnet's policy-relevant facts (ids, owners, tags, addresses, routes) stay the same, which is
 * what most refreshes (endpoint churn) see.
 */
public final class TailnetLoader {
  private static final Logger log = LoggerFactory.getLogger(TailnetLoader.class);
  private static final long QUERY_TIMEOUT_SECONDS = 10;

  /** Access rules present and empty: nothing is allowed (an absent list would allow everything). */
  private static final String DENY_ALL = "{\"acls\": []}";

  private final QueryGateway queries;
  private final ConnectivityStore connectivity;
  private final TailnetSettings settings;
  private TailnetSnapshot lastSnapshot;
  private String lastPolicyText;
  private CompiledPolicy lastCompiled;
  private volatile PolicyProblem problem;
  private volatile String ambiguousUsers;
  private Policy ambiguityCheckedFor;
  private Collection<TailnetUser> ambiguityCheckedUsers;

  public TailnetLoader(QueryGateway queries, ConnectivityStore connectivity) {
    this(queries, connectivity, TailnetSettings.NONE);
  }

  /** {@code settings}: the operator's tailnet owner, admins and domains the policy may name. */
  public TailnetLoader(
      QueryGateway queries, ConnectivityStore connectivity, TailnetSettings settings) {
    this.queries = queries;
    this.connectivity = connectivity;
    this.settings = settings;
  }

  /** Called from one thread at a time (the network map's worker). */
  public MapSnapshot load(Set<Long> streaming) {
    List<NodeView> nodes =
        query(new FetchNodesQuery(null), NodeView.class).stream()
            .map(TailnetLoader::withoutConnectivity)
            .toList();
    List<UserView> users = query(new FetchUsersQuery(null, null, null), UserView.class);
    PolicyView policy =
        join(queries.query(new FetchPolicyQuery(), ResponseTypes.instanceOf(PolicyView.class)));
    Map<Long, NodeConnectivity> conn = connectivity.all();
    CompiledPolicy compiled = null;
    if (policy != null && policy.policy() != null && !policy.policy().isBlank()) {
      compiled = compile(policy.policy(), snapshot(nodes, users, conn).withSettings(settings));
    } else {
      problem = null;
      ambiguousUsers = null;
    }
    return MapSnapshot.of(nodes, users, compiled, conn, streaming);
  }

  /** One node from the read model, or null when it is not (or no longer) there. */
  public NodeView node(long nodeId) {
    NodeView v =
        join(queries.query(new FindNodeQuery(nodeId), ResponseTypes.instanceOf(NodeView.class)));
    return v == null ? null : withoutConnectivity(v);
  }

  /** The node whose current key is {@code nodeKey}, from the read model, or null. */
  public NodeView nodeByKey(String nodeKey) {
    NodeView v =
        join(
            queries.query(
                new FindNodeByNodeKeyQuery(nodeKey), ResponseTypes.instanceOf(NodeView.class)));
    return v == null ? null : withoutConnectivity(v);
  }

  /**
   * The admin view joins in what clients report (online, last seen, disco key); the map takes those
   * from the connectivity port instead, so a node whose client merely reported in is not mistaken
   * for a changed node.
   */
  static NodeView withoutConnectivity(NodeView v) {
    return new NodeView(
        v.id(),
        v.machineKey(),
        v.nodeKey(),
        null,
        v.ipAddresses(),
        v.hostname(),
        v.givenName(),
        v.userId(),
        v.userName(),
        v.tags(),
        null,
        v.expiry(),
        v.preAuthKeyId(),
        v.createdAt(),
        v.registerMethod(),
        false,
        v.ephemeral(),
        v.approvedRoutes(),
        v.availableRoutes());
  }

  public List<UserView> users() {
    return query(new FetchUsersQuery(null, null, null), UserView.class);
  }

  /**
   * A policy the map derived from the last compiled one by {@link CompiledPolicy#withNode}: the
   * next full load reuses it as long as the tailnet still matches it, instead of compiling again.
   */
  public void adopt(CompiledPolicy compiled) {
    if (compiled != null && lastCompiled != null && compiled.policy() == lastCompiled.policy()) {
      lastCompiled = compiled;
      lastSnapshot = compiled.snapshot();
      noteAmbiguousUsers(compiled);
    }
  }

  private CompiledPolicy compile(String text, TailnetSnapshot snapshot) {
    if (text.equals(lastPolicyText)
        && lastCompiled != null
        && sameTopology(snapshot, lastSnapshot)) {
      return lastCompiled;
    }
    try {
      CompiledPolicy c = PolicyEngine.compile(text, snapshot);
      lastPolicyText = text;
      lastSnapshot = snapshot;
      lastCompiled = c;
      noteAmbiguousUsers(c);
      if (problem != null) {
        log.info("the policy in force compiles again; serving it");
        problem = null;
      }
      return c;
    } catch (RuntimeException e) {
      // An accepted policy that no longer compiles (a stricter parser after an upgrade, a tailnet
      // it cannot resolve against): keep the last good one; with none, deny everything. Never
      // open everything, and never leave the map unable to serve anyone.
      PolicyProblem now =
          new PolicyProblem(
              String.valueOf(e.getMessage()),
              lastCompiled != null ? Serving.LAST_GOOD_POLICY : Serving.DENY_ALL);
      if (!now.equals(problem)) {
        log.error(
            "the policy in force does not compile against the tailnet ({}); serving {}: {}",
            e.getClass().getSimpleName(),
            now.serving().description,
            now.error());
      }
      problem = now;
      return lastCompiled != null ? lastCompiled : denyAll(snapshot);
    }
  }

  /**
   * A stored policy's user token that a newer user made ambiguous names nobody (the compiler sees
   * to that, never several users); this keeps the reason for /health and the policy API.
   */
  private void noteAmbiguousUsers(CompiledPolicy c) {
    // a node change keeps the policy and shares the users: nothing to look at again
    if (c.policy() == ambiguityCheckedFor && c.snapshot().users() == ambiguityCheckedUsers) {
      return;
    }
    ambiguityCheckedFor = c.policy();
    ambiguityCheckedUsers = c.snapshot().users();
    Map<String, List<TailnetUser>> ambiguous = c.ambiguousUsers();
    String now = ambiguous.isEmpty() ? null : UserTokens.describe(ambiguous);
    if (now != null && !now.equals(ambiguousUsers)) {
      log.error("the policy in force names users ambiguously; those tokens match nobody: {}", now);
    }
    ambiguousUsers = now;
  }

  /**
   * The stored policy's user tokens that name several users (and so nobody), described; empty when
   * there is none.
   */
  public Optional<String> ambiguousUsers() {
    return Optional.ofNullable(ambiguousUsers);
  }

  /** An empty packet filter for every node, no peers, no SSH, no capabilities. */
  private static CompiledPolicy denyAll(TailnetSnapshot snapshot) {
    return PolicyEngine.compile(DENY_ALL, snapshot);
  }

  /**
   * Why the map does not serve the stored policy, and what it serves instead; empty while the
   * stored policy compiles (or there is none). Read by the health endpoint.
   */
  public Optional<PolicyProblem> policyProblem() {
    return Optional.ofNullable(problem);
  }

  /** What the map serves in place of a stored policy that does not compile. */
  public enum Serving {
    LAST_GOOD_POLICY("the last policy that compiled"),
    DENY_ALL("an empty packet filter and no SSH to every node");

    public final String description;

    Serving(String description) {
      this.description = description;
    }
  }

  /** The compiler's message for the stored policy, and what is served in its place. */
  public record PolicyProblem(String error, Serving serving) {}

  private static boolean sameTopology(TailnetSnapshot a, TailnetSnapshot b) {
    if (b == null || a.nodes().size() != b.nodes().size() || a.users().size() != b.users().size()) {
      return false;
    }
    for (TailnetNode n : a.nodes()) {
      if (!n.equals(b.node(n.id()))) {
        return false;
      }
    }
    for (TailnetUser u : a.users()) {
      if (!u.equals(b.user(u.id()))) {
        return false;
      }
    }
    return true;
  }

  static TailnetSnapshot snapshot(
      List<NodeView> nodes, List<UserView> users, Map<Long, NodeConnectivity> conn) {
    List<TailnetUser> tu = new ArrayList<>();
    for (UserView u : users) {
      tu.add(tailnetUser(u));
    }
    List<TailnetNode> tn = new ArrayList<>();
    for (NodeView v : nodes) {
      tn.add(tailnetNode(v, conn.get(v.id())));
    }
    return TailnetSnapshot.of(tu, tn);
  }

  /** The user as the policy compiler sees it: login name and e-mail. */
  static TailnetUser tailnetUser(UserView u) {
    return new TailnetUser(u.id(), u.name(), u.email());
  }

  /**
   * The node as the policy compiler sees it: addresses, owner, tags, advertised and approved
   * routes.
   */
  static TailnetNode tailnetNode(NodeView v, NodeConnectivity c) {
    IpAddress v4 = null;
    IpAddress v6 = null;
    for (String ip : v.ipAddresses()) {
      if (ip.contains(":")) {
        v6 = IpAddress.parse(ip);
      } else {
        v4 = IpAddress.parse(ip);
      }
    }
    Set<String> advertised = NodeEntries.advertised(v, c);
    Long owner = v.owner().eventUserId();
    return new TailnetNode(
        v.id(),
        v.givenName(),
        v4,
        v6,
        owner,
        v.tags() == null ? Set.of() : Set.copyOf(v.tags()),
        prefixes(advertised),
        prefixes(v.approvedRoutes()));
  }

  private static List<IpPrefix> prefixes(java.util.Collection<String> routes) {
    List<IpPrefix> out = new ArrayList<>();
    if (routes != null) {
      routes.stream()
          .filter(Objects::nonNull)
          .sorted()
          .forEach(
              r -> {
                try {
                  out.add(IpPrefix.parse(r));
                } catch (RuntimeException e) {
                  log.debug("ignoring route {}: {}", r, e.getMessage());
                }
              });
    }
    return out;
  }

  private <T> List<T> query(Object q, Class<T> type) {
    List<T> out = join(queries.query(q, ResponseTypes.multipleInstancesOf(type)));
    return out == null ? List.of() : out;
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the tailnet", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the tailnet: " + e.getMessage(), e);
    }
  }
}
