// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ledgerscale.cli.LedgerscaleCli;
import io.ledgerscale.server.Ledgerscale.ServeArguments;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.config.LedgerscaleConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Dockerfile and docker-compose.yml, without a Docker engine: the image's command line
 * run outside Docker against the config the image holds, with the compose file's environment and
 * secret, and the compose file checked for what `docker compose up` needs (declared secrets and
 * volumes, files it mounts, health checks).
 */
class DockerDeploymentTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern EXEC_FORM =
      Pattern.compile("^(ENTRYPOINT|CMD)\\s+(\\[.*])\\s*$", Pattern.MULTILINE);
  private static final Pattern COPY =
      Pattern.compile("^COPY\\s+(?!--from)(\\S+)\\s+(\\S+)\\s*$", Pattern.MULTILINE);

  @Test
  void shouldStartAsShippedWithTheImagesCommandLine(@TempDir Path dir) throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Map<String, List<String>> exec = new HashMap<>();
    Matcher m = EXEC_FORM.matcher(dockerfile);
    while (m.find()) {
      List<String> words = new ArrayList<>();
      YAML.readTree(m.group(2)).forEach(w -> words.add(w.asText()));
      exec.put(m.group(1), words);
    }
    List<String> command = exec.get("CMD");
    assertThat(command).as("the image's CMD").isNotNull();
    ServeArguments serve = ServeArguments.parse(command.toArray(String[]::new));
    assertThat(serve).as("the image's command runs the server").isNotNull();
    assertThat(serve.configFile()).as("the image names its config").isNotNull();

    Map<String, String> copies = new HashMap<>();
    Matcher c = COPY.matcher(dockerfile);
    while (c.find()) {
      copies.put(c.group(2), c.group(1));
    }
    copies.forEach(
        (to, from) -> assertThat(ROOT.resolve(from)).as("COPY %s %s", from, to).exists());
    // java's argument files (@file) in the entry point are files the image holds
    exec.getOrDefault("ENTRYPOINT", List.of()).stream()
        .filter(w -> w.startsWith("@"))
        .forEach(
            w ->
                assertThat(copies)
                    .as("the entry point's argument file " + w)
                    .containsKey(w.substring(1)));
    String copied = copies.get(serve.configFile());
    assertThat(copied)
        .as("the image holds the config its command names (" + serve.configFile() + ")")
        .isNotNull();
    Path config = ROOT.resolve(copied);
    assertThat(config).exists();

    JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    JsonNode service = compose.path("services").path("ledgerscale");
    assertThat(mounted(service, serve.configFile()))
        .as("compose mounts the image's own config file, or none over it")
        .isIn(null, copied);

    // the compose file's environment and secret, as the container would see them
    Map<String, String> env = new LinkedHashMap<>();
    service
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), interpolateDefault(e.getValue().asText())));
    LedgerscaleConfig inImage = ConfigLoader.load(config.toString(), env).config();
    assertThat(inImage.database.postgres.passwordFile)
        .as("the database password comes from a compose secret")
        .isEqualTo("/run/secrets/" + service.path("secrets").get(0).asText());
    assertThat(compose.path("services").has(inImage.database.postgres.host))
        .as("the database host is a compose service")
        .isTrue();
    Path secret = Files.writeString(dir.resolve("db_password"), "s3cret\n");
    env.put("LEDGERSCALE_DATABASE_POSTGRES_PASSWORD_FILE", secret.toString());
    env.put("LEDGERSCALE_DATA_DIR", dir.resolve("data").toString());

    List<String> configtest = new ArrayList<>(List.of("configtest"));
    configtest.addAll(List.of("--config", config.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LedgerscaleCli.run(
            configtest.toArray(String[]::new),
            env,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as("configtest: %s%s", out, err).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).as("warnings at start").isEmpty();

    // the published port is the one the server listens on, on every interface of the container
    String published = service.path("ports").get(0).asText();
    assertThat(inImage.listenAddr).isEqualTo("0.0.0.0:" + published.split(":")[1]);
  }

  @Test
  void shouldDeclareWhatTheComposeFileUses() throws Exception {
    JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    JsonNode services = compose.path("services");
    assertThat(services.size()).isPositive();
    services
        .fields()
        .forEachRemaining(
            s -> {
              JsonNode service = s.getValue();
              assertThat(service.has("image") || service.has("build"))
                  .as(s.getKey() + " has an image or a build")
                  .isTrue();
              assertThat(service.has("healthcheck"))
                  .as(s.getKey() + " has a health check")
                  .isTrue();
              service
                  .path("secrets")
                  .forEach(
                      name ->
                          assertThat(compose.path("secrets").has(name.asText()))
                              .as(s.getKey() + "'s secret " + name.asText() + " is declared")
                              .isTrue());
              service
                  .path("depends_on")
                  .fieldNames()
                  .forEachRemaining(
                      d ->
                          assertThat(services.has(d))
                              .as(s.getKey() + " depends on a service")
                              .isTrue());
              service
                  .path("volumes")
                  .forEach(
                      v -> {
                        String source = v.asText().split(":")[0];
                        if (source.startsWith(".") || source.startsWith("/")) {
                          assertThat(ROOT.resolve(source)).as("mounted file").exists();
                        } else {
                          assertThat(compose.path("volumes").has(source))
                              .as("volume " + source + " is declared")
                              .isTrue();
                        }
                      });
            });
    // a secret's file is not committed: the compose file and the README say how to make it
    String readme = Files.readString(ROOT.resolve("README.md"));
    compose
        .path("secrets")
        .forEach(
            secret -> {
              String file = Path.of(secret.path("file").asText()).normalize().toString();
              assertThat(readme).as("the README says how to make " + file).contains(file);
            });
  }

  private static String mounted(JsonNode service, String target) {
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(target)) {
        return Path.of(parts[0]).normalize().toString();
      }
    }
    return null;
  }

  /** Compose's ${VAR:-default}, with nothing set in the environment. */
  private static String interpolateDefault(String value) {
    return value.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)}", "$1");
  }
}
