// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, reads and checks the configuration. The file is the one named explicitly (-c/--config),
 * else the one in LEDGERSCALE_CONFIG, else ./config.yaml, else /etc/ledgerscale/config.yaml, else
 * none (all defaults). Every known key can then be overridden by an environment variable
 * LEDGERSCALE_ + the key path upper-cased with dots as underscores (LEDGERSCALE_LISTEN_ADDR,
 * LEDGERSCALE_DATABASE_POSTGRES_HOST); lists take comma-separated values. Unknown keys are reported
 * as warnings, not errors, because Headscale files carry keys Ledgerscale does not know;
 * Headscale's own keys that Ledgerscale does not implement, or that Headscale renamed, are reported
 * by {@link HeadscaleKeys} with what to do instead. Values of keys ending in _path or _file may use
 * ${VAR} (as systemd's ${CREDENTIALS_DIRECTORY} guides do).
 *
 * <p>Plain Java, no Spring: the CLI uses it too.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "LEDGERSCALE_";
  public static final String CONFIG_ENV = "LEDGERSCALE_CONFIG";
  private static final List<Path> DEFAULT_LOCATIONS =
      List.of(Path.of("config.yaml"), Path.of("/etc/ledgerscale/config.yaml"));
  private static final Pattern ENV_REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private ConfigLoader() {}

  /**
   * The configuration as loaded: the values, the file they came from (null for defaults) and any
   * warnings.
   */
  public record Loaded(LedgerscaleConfig config, Path source, List<String> warnings) {}

  /** Loads with the process environment. */
  public static Loaded load(String explicitPath) {
    return load(explicitPath, System.getenv());
  }

  public static Loaded load(String explicitPath, Map<String, String> env) {
    Path source = locate(explicitPath, env);
    List<String> warnings = new ArrayList<>();
    ObjectMapper yaml = mapper(warnings);
    JsonNode tree;
    try {
      tree = source == null ? null : yaml.readTree(source.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + source + ": " + e.getMessage(), e);
    }
    ObjectNode root;
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    } else if (tree.isObject()) {
      root = (ObjectNode) tree;
    } else {
      throw new ConfigException(
          "config file " + source + " must hold a YAML mapping of keys to values");
    }
    applyEnvironment(root, yaml, env);
    warnings.addAll(HeadscaleKeys.report(root));
    applyHeadscaleSecretVariable(root, env);
    expandPathVariables(root, "", env);
    LedgerscaleConfig config;
    try {
      config = yaml.treeToValue(root, LedgerscaleConfig.class);
    } catch (IOException e) {
      throw new ConfigException(
          "invalid configuration" + (source == null ? "" : " in " + source) + ": " + describe(e),
          e);
    }
    check(config);
    return new Loaded(config, source, List.copyOf(warnings));
  }

  private static Path locate(String explicitPath, Map<String, String> env) {
    if (explicitPath != null && !explicitPath.isBlank()) {
      Path p = Path.of(explicitPath);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("config file " + p.toAbsolutePath() + " does not exist");
      }
      return p;
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path p = Path.of(fromEnv);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException(
            CONFIG_ENV + " names " + p.toAbsolutePath() + ", which does not exist");
      }
      return p;
    }
    return DEFAULT_LOCATIONS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  private static ObjectMapper mapper(List<String> warnings) {
    ObjectMapper m = new ObjectMapper(new YAMLFactory());
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.setSerializationInclusion(JsonInclude.Include.ALWAYS);
    m.addHandler(
        new DeserializationProblemHandler() {
          @Override
          public boolean handleUnknownProperty(
              DeserializationContext ctxt,
              JsonParser p,
              JsonDeserializer<?> deserializer,
              Object beanOrClass,
              String propertyName)
              throws IOException {
            // the context chain names every enclosing key, ending with this one (for a scalar or a
            // mapping)
            String path = pathOf(p.getParsingContext());
            path = path.isEmpty() ? propertyName : path.substring(0, path.length() - 1);
            warnings.add("unknown config key '" + path + "' ignored");
            p.skipChildren();
            return true;
          }
        });
    return m;
  }

  private static String pathOf(com.fasterxml.jackson.core.JsonStreamContext ctx) {
    StringBuilder sb = new StringBuilder();
    for (com.fasterxml.jackson.core.JsonStreamContext c = ctx; c != null; c = c.getParent()) {
      if (c.getCurrentName() != null) {
        sb.insert(0, c.getCurrentName() + ".");
      }
    }
    return sb.toString();
  }

  /** Every key the defaults know, with its default, is a candidate for an environment override. */
  private static void applyEnvironment(
      ObjectNode root, ObjectMapper yaml, Map<String, String> env) {
    JsonNode defaults = yaml.valueToTree(new LedgerscaleConfig());
    overrideFrom(defaults, root, "", yaml, env);
  }

  private static void overrideFrom(
      JsonNode defaults,
      ObjectNode target,
      String prefix,
      ObjectMapper yaml,
      Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = defaults.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      JsonNode def = field.getValue();
      String path = prefix + key;
      if (def.isObject() && def.size() > 0) {
        JsonNode existing = target.get(key);
        ObjectNode child = existing != null && existing.isObject() ? (ObjectNode) existing : null;
        if (child == null) {
          child = JsonNodeFactory.instance.objectNode();
          overrideFrom(def, child, path + ".", yaml, env);
          if (child.size() > 0) {
            target.set(key, child);
          }
        } else {
          overrideFrom(def, child, path + ".", yaml, env);
        }
        continue;
      }
      if (def.isObject()) {
        continue; // free-form maps (tuning, extra_params, ...) are set in the file only
      }
      String value = env.get(ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT));
      if (value == null) {
        continue;
      }
      if (def.isArray()) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            list.add(item.trim());
          }
        }
        target.set(key, list);
      } else {
        target.put(key, value);
      }
    }
  }

  /**
   * Headscale reads the OIDC client secret from HEADSCALE_OIDC_CLIENT_SECRET; a systemd unit or
   * compose file written for Headscale keeps working. LEDGERSCALE_OIDC_CLIENT_SECRET, applied
   * before, wins.
   */
  private static void applyHeadscaleSecretVariable(ObjectNode root, Map<String, String> env) {
    String secret = env.get("HEADSCALE_OIDC_CLIENT_SECRET");
    if (secret == null || secret.isEmpty() || env.containsKey(ENV_PREFIX + "OIDC_CLIENT_SECRET")) {
      return;
    }
    JsonNode oidc = root.get("oidc");
    ObjectNode block = oidc != null && oidc.isObject() ? (ObjectNode) oidc : root.putObject("oidc");
    JsonNode path = block.get("client_secret_path");
    if (path != null && !path.asText().isBlank()) {
      return; // the file names where the secret is; a variable left in the environment does not
      // contradict it
    }
    block.put("client_secret", secret);
  }

  private static void expandPathVariables(ObjectNode node, String prefix, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode v = field.getValue();
      if (v.isObject()) {
        expandPathVariables((ObjectNode) v, prefix + field.getKey() + ".", env);
      } else if (v.isTextual()
          && (field.getKey().endsWith("_path") || field.getKey().endsWith("_file"))) {
        field.setValue(JsonNodeFactory.instance.textNode(expand(v.asText(), env)));
      }
    }
  }

  static String expand(String text, Map<String, String> env) {
    Matcher m = ENV_REFERENCE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(name, "")));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String describe(IOException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      StringBuilder key = new StringBuilder();
      for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          key.append(key.length() == 0 ? "" : ".").append(r.getFieldName());
        }
      }
      return (key.length() == 0 ? "" : key + ": ") + m.getOriginalMessage();
    }
    return e.getMessage();
  }

  /** Settings whose mistakes would otherwise surface late and obscurely. */
  private static void check(LedgerscaleConfig c) {
    c.serverUrl();
    c.database.checkedType();
    c.database.idleConnections();
    c.database.connectionMaxIdleTime();
    c.database.commandConcurrency();
    c.database.commandWait();
    c.addressPools();
    ListenAddress listen = c.listenAddress();
    ListenAddress metrics = ListenAddress.parse("metrics_listen_addr", c.metricsListenAddr);
    if (listen != null
        && metrics != null
        && listen.port() != 0
        && listen.port() == metrics.port()) {
      // Spring would serve /metrics and the detailed /health on the public listener
      throw new ConfigException(
          "metrics_listen_addr: port "
              + metrics.port()
              + " is listen_addr's; give the metrics their own port (or \"\" to turn them off)");
    }
    c.nodeExpiry();
    c.ephemeralInactivityTimeout();
    c.oidc.check();
    c.directTls();
    if (c.database.embedded.port < 0 || c.database.embedded.port > 65535) {
      throw new ConfigException(
          "database.embedded.port: " + c.database.embedded.port + " is out of range");
    }
    String policyMode = c.policy.mode == null ? "file" : c.policy.mode.toLowerCase(Locale.ROOT);
    if (!List.of("file", "database").contains(policyMode)) {
      throw new ConfigException(
          "policy.mode: '" + c.policy.mode + "' is not one of file, database");
    }
    c.policy.pollEvery();
    c.policy.tailnetSettings();
    ExtraDnsRecords.of(c.dns.extraRecords);
    if (!c.dns.extraRecords.isEmpty() && c.dns.extraRecordsFile().isPresent()) {
      throw new ConfigException(
          "dns.extra_records and dns.extra_records_path: set one or the other, not both");
    }
    c.limits.resolve();
    c.auditLedger.check();
    c.derp.check();
    String level = c.log.level == null ? "info" : c.log.level.toLowerCase(Locale.ROOT);
    if (!List.of("trace", "debug", "info", "warn", "warning", "error", "fatal", "panic")
        .contains(level)) {
      throw new ConfigException(
          "log.level: '" + c.log.level + "' is not one of trace, debug, info, warn, error");
    }
    String format = c.log.format == null ? "text" : c.log.format.toLowerCase(Locale.ROOT);
    if (!List.of("text", "json").contains(format)) {
      throw new ConfigException("log.format: '" + c.log.format + "' is not one of text, json");
    }
  }
}
