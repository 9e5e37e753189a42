// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.gateway.tailcfg.DNSConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Headscale's {@code dns.extra_records} and the file named by {@code dns.extra_records_path} (a
 * JSON array of {@code {"name", "type", "value"}}, keys in any case as Go reads them), checked
 * before any client sees them: every record goes into every node's DNS configuration, so their
 * number and size are bounded, and only what Tailscale clients answer is accepted (A with an IPv4
 * address, AAAA with an IPv6 one). Duplicates count once, as in Headscale.
 */
public final class ExtraDnsRecords {
  /** Each node's DNS configuration carries them all, in every full map. */
  public static final int MAX_RECORDS = 1024;

  /**
   * Far above {@link #MAX_RECORDS} records of the longest names: a file is never read whole past
   * it.
   */
  public static final int MAX_FILE_BYTES = 1 << 20;

  static final int MAX_NAME_LENGTH = 253;
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ExtraDnsRecords() {}

  /** The records written in the config file ({@code dns.extra_records}). */
  public static List<DNSConfig.DNSRecord> of(List<DnsSettings.ExtraRecord> records) {
    if (records == null) {
      return List.of();
    }
    checkCount(records.size(), "dns.extra_records");
    Set<DNSConfig.DNSRecord> out = new LinkedHashSet<>();
    for (int i = 0; i < records.size(); i++) {
      DnsSettings.ExtraRecord r = records.get(i);
      if (r == null) {
        throw new ConfigException("dns.extra_records[" + i + "]: empty entry");
      }
      out.add(record("dns.extra_records[" + i + "]", r.name, r.type, r.value));
    }
    return List.copyOf(out);
  }

  /**
   * The records in {@code file}, or null when the file is empty (Headscale's rule: a file caught
   * half-written is read again on its next change).
   *
   * @throws ConfigException when the file cannot be read or holds anything not allowed
   */
  public static List<DNSConfig.DNSRecord> read(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new ConfigException("dns.extra_records_path: cannot read " + file + ": " + e, e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(
          "dns.extra_records_path: " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return null;
    }
    return parse(bytes, "dns.extra_records_path (" + file + ")");
  }

  static List<DNSConfig.DNSRecord> parse(byte[] json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(where + ": not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(where + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new ConfigException(where + ": must be a JSON array of {name, type, value} records");
    }
    checkCount(root.size(), where);
    Set<DNSConfig.DNSRecord> out = new LinkedHashSet<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode r = root.get(i);
      String at = where + "[" + i + "]";
      if (!r.isObject()) {
        throw new ConfigException(at + ": must be an object with name, type and value");
      }
      out.add(record(at, field(r, "name", at), field(r, "type", at), field(r, "value", at)));
    }
    return List.copyOf(out);
  }

  /** Go's encoding/json matches keys without regard to case; so does this. */
  private static String field(JsonNode record, String name, String at) {
    JsonNode found = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equalsIgnoreCase(name)) {
        found = f.getValue();
      }
    }
    if (found == null || found.isNull()) {
      return null;
    }
    if (!found.isTextual()) {
      throw new ConfigException(at + "." + name + ": must be a string");
    }
    return found.asText();
  }

  private static void checkCount(int count, String where) {
    if (count > MAX_RECORDS) {
      throw new ConfigException(
          where + ": " + count + " records; at most " + MAX_RECORDS + " are allowed");
    }
  }

  private static DNSConfig.DNSRecord record(String at, String name, String type, String value) {
    if (name == null || name.isEmpty()) {
      throw new ConfigException(at + ".name: required");
    }
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (bare.isEmpty() || bare.length() > MAX_NAME_LENGTH) {
      throw new ConfigException(
          at + ".name: must be a DNS name of 1 to " + MAX_NAME_LENGTH + " characters");
    }
    for (String label : bare.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new ConfigException(
            at
                + ".name: '"
                + shown(name)
                + "' is not a DNS name (labels of letters, digits, - and _, at most 63 each)");
      }
    }
    String t = type == null ? "" : type.toUpperCase(Locale.ROOT);
    if (!t.equals("A") && !t.equals("AAAA")) {
      throw new ConfigException(
          at
              + ".type: '"
              + shown(type)
              + "' is not supported; Tailscale clients answer A and AAAA");
    }
    if (value == null || value.isEmpty() || value.length() > 45 || !value.equals(value.trim())) {
      throw new ConfigException(at + ".value: must be an IP address");
    }
    IpAddress ip;
    try {
      ip = IpAddress.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + ".value: '" + shown(value) + "' is not an IP address");
    }
    if (ip.v6() != t.equals("AAAA")) {
      throw new ConfigException(
          at
              + ".value: "
              + t
              + " needs an "
              + (t.equals("A") ? "IPv4" : "IPv6")
              + " address, not "
              + value);
    }
    return new DNSConfig.DNSRecord(name, t, value);
  }

  /** Enough of a refused value to recognise it, never all of a hostile one. */
  private static String shown(String s) {
    if (s == null) {
      return "";
    }
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("[^\\x20-\\x7e…]", "?");
  }
}
