// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.status;

import io.ledgerscale.admin.health.DatabaseConnectivity;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Headscale's two unauthenticated endpoints on {@code listen_addr}: {@code GET /health} and {@code
 * GET /version}, in Headscale's shapes (hscontrol/handlers.go, HealthHandler and VersionHandler).
 * UIs and load balancers in front of Headscale probe them there; the operator's detailed health
 * stays on {@code metrics_listen_addr}. Neither says more than Headscale does: no component names,
 * no paths, no errors.
 */
@RestController
public class PublicStatusController {
  /** Headscale answers health with this type (the IETF health-check draft's). */
  static final MediaType HEALTH_JSON =
      new MediaType("application", "health+json", StandardCharsets.UTF_8);

  private final DatabaseConnectivity database;
  private final ObjectProvider<GitProperties> git;
  private final ObjectProvider<BuildProperties> build;

  public PublicStatusController(
      DatabaseConnectivity database,
      ObjectProvider<GitProperties> git,
      ObjectProvider<BuildProperties> build) {
    this.database = database;
    this.git = git;
    this.build = build;
  }

  public record Health(String status) {}

  /** 200 {@code {"status":"pass"}} while the database answers, else 500 {@code "fail"}. */
  @GetMapping("/health")
  public ResponseEntity<Health> health() {
    boolean up = database.reachable();
    return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(HEALTH_JSON)
        .body(new Health(up ? "pass" : "fail"));
  }

  /**
   * Headscale names the Go toolchain in {@code go}; here the same fields name the Java runtime, so
   * a client that reads them finds strings where it expects strings.
   */
  public record Runtime(String version, String os, String arch) {}

  public record Version(
      String version, String commit, String buildTime, Runtime go, boolean dirty) {}

  @GetMapping(value = "/version", produces = MediaType.APPLICATION_JSON_VALUE)
  public Version version() {
    GitProperties g = git.getIfAvailable();
    BuildProperties b = build.getIfAvailable();
    String commit = g == null || g.getCommitId() == null ? "unknown" : g.getCommitId();
    String time = b == null || b.getTime() == null ? "unknown" : b.getTime().toString();
    return new Version(
        ServerVersion.reported(),
        commit,
        time,
        new Runtime("java" + java.lang.Runtime.version(), ServerVersion.os(), ServerVersion.arch()),
        false);
  }
}
