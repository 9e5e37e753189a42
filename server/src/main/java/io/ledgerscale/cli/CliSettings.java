// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the CLI finds its server and its key, first hit wins: the flag, our environment variable,
 * Headscale's environment variable, the config file's {@code cli.*} keys, and, for the key on the
 * server's own machine, the first API key the server wrote into its data directory.
 *
 * <p>The server resolves a relative {@code data_dir} against the directory it was started in, which
 * the CLI cannot know; it looks in the likely ones, in order: its own working directory, the config
 * file's directory (the server's working directory when it found its config as ./config.yaml) and
 * the checkout the {@code ledgerscale} script runs from (where {@code ./ledgerscale serve} keeps
 * ./data). A key from the wrong one is refused by the server (401), never taken for another's.
 */
public final class CliSettings {
  static final String DEFAULT_ADDRESS = "127.0.0.1:8080";
  static final String INITIAL_KEY_FILE = "initial-api-key";
  static final String DEFAULT_DATA_DIR = "./data";

  /** Set by the {@code ledgerscale} script: the checkout it runs from. */
  static final String LAUNCHER_DIR_PROPERTY = "ledgerscale.launcher.dir";

  static final List<String> CONFIG_LOCATIONS =
      List.of("config.yaml", "${HOME}/.ledgerscale/config.yaml", "/etc/ledgerscale/config.yaml");

  private final JsonNode config;
  private final Optional<Path> configFile;
  private final Map<String, String> env;
  private final Optional<Path> launcherDir;

  private CliSettings(
      JsonNode config,
      Optional<Path> configFile,
      Map<String, String> env,
      Optional<Path> launcher) {
    this.config = config;
    this.configFile = configFile;
    this.env = env;
    this.launcherDir = launcher;
  }

  public static CliSettings load(String configFlag, Map<String, String> env) {
    return load(
        configFlag,
        env,
        Optional.ofNullable(System.getProperty(LAUNCHER_DIR_PROPERTY))
            .filter(dir -> !dir.isBlank())
            .map(Path::of));
  }

  static CliSettings load(String configFlag, Map<String, String> env, Optional<Path> launcherDir) {
    Optional<Path> file = configFile(configFlag, env);
    return new CliSettings(readConfig(file), file, env, launcherDir);
  }

  public String address(String flag) {
    String address =
        first(
                flag,
                env.get("LEDGERSCALE_CLI_ADDRESS"),
                env.get("HEADSCALE_CLI_ADDRESS"),
                text("cli", "address"),
                env.get("LEDGERSCALE_LISTEN_ADDR"),
                text("listen_addr"))
            .orElse(DEFAULT_ADDRESS);
    return baseUri(address);
  }

  public Optional<String> apiKey(String flag) {
    Optional<String> given =
        first(
            flag,
            env.get("LEDGERSCALE_CLI_API_KEY"),
            env.get("HEADSCALE_CLI_API_KEY"),
            text("cli", "api_key"));
    return given.isPresent() ? given : initialKey();
  }

  public Duration timeout() {
    return first(env.get("LEDGERSCALE_CLI_TIMEOUT"), text("cli", "timeout"))
        .map(Durations::parse)
        .orElse(Duration.ofSeconds(5));
  }

  public boolean insecure() {
    return first(
            env.get("LEDGERSCALE_CLI_INSECURE"),
            env.get("HEADSCALE_CLI_INSECURE"),
            text("cli", "insecure"))
        .map(Boolean::parseBoolean)
        .orElse(false);
  }

  /**
   * A bare host:port is plain HTTP on this machine, and HTTPS anywhere else, so a key never crosses
   * a network in clear.
   */
  static String baseUri(String address) {
    String a = address.trim();
    if (a.startsWith("http://") || a.startsWith("https://")) {
      return a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    }
    if (a.startsWith(":")) {
      a = "127.0.0.1" + a;
    }
    if (a.startsWith("0.0.0.0:")) {
      a = "127.0.0.1" + a.substring("0.0.0.0".length());
    }
    String host = a.startsWith("[") ? a.substring(0, a.indexOf(']') + 1) : a.split(":")[0];
    boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    return (local ? "http://" : "https://") + a;
  }

  private Optional<String> initialKey() {
    for (Path file : initialKeyCandidates()) {
      if (Files.isReadable(file)) {
        try {
          return first(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
          // unreadable after all: try the next place
        }
      }
    }
    return Optional.empty();
  }

  /** Where the server may have written its first key, most likely first. */
  List<Path> initialKeyCandidates() {
    Path dataDir =
        Path.of(first(env.get("LEDGERSCALE_DATA_DIR"), text("data_dir")).orElse(DEFAULT_DATA_DIR));
    if (dataDir.isAbsolute()) {
      return List.of(dataDir.resolve(INITIAL_KEY_FILE).normalize());
    }
    List<Path> bases = new ArrayList<>();
    bases.add(Path.of("").toAbsolutePath());
    configFile.map(file -> file.toAbsolutePath().getParent()).ifPresent(bases::add);
    launcherDir.map(Path::toAbsolutePath).ifPresent(bases::add);
    Set<Path> candidates = new LinkedHashSet<>();
    bases.forEach(
        base -> candidates.add(base.resolve(dataDir).resolve(INITIAL_KEY_FILE).normalize()));
    return List.copyOf(candidates);
  }

  private Optional<String> text(String... path) {
    JsonNode node = config;
    for (String key : path) {
      node = node.path(key);
    }
    return node.isValueNode() ? first(node.asText()) : Optional.empty();
  }

  /** The first of strings and optional strings that holds some text. */
  private static Optional<String> first(Object... candidates) {
    for (Object candidate : candidates) {
      Optional<String> value =
          candidate instanceof Optional<?> o
              ? o.map(Object::toString)
              : Optional.ofNullable((String) candidate);
      if (value.isPresent() && !value.get().isBlank()) {
        return Optional.of(value.get().trim());
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> configFile(String flag, Map<String, String> env) {
    Optional<String> named = first(flag, env.get("LEDGERSCALE_CONFIG"));
    if (named.isPresent()) {
      Path path = Path.of(named.get());
      if (!Files.isReadable(path)) {
        throw new CliException("cannot read config file " + path);
      }
      return Optional.of(path);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
    return CONFIG_LOCATIONS.stream()
        .map(location -> Path.of(location.replace("${HOME}", home)))
        .filter(Files::isReadable)
        .findFirst();
  }

  private static JsonNode readConfig(Optional<Path> file) {
    if (file.isEmpty()) {
      return MissingNode.getInstance();
    }
    try (JsonParser parser = new YAMLFactory().createParser(file.get().toFile())) {
      JsonNode node = JsonText.read(parser);
      return node == null ? MissingNode.getInstance() : node;
    } catch (IOException e) {
      throw new CliException("cannot parse config file " + file.get() + ": " + e.getMessage());
    }
  }
}
