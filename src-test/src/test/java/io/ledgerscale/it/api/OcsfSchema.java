// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What OCSF 1.1.0 requires of the three classes the audit export emits, written down from the
 * schema source (github.com/ocsf/ocsf-schema at tag {@code v1.1.0}: events/base_event.json,
 * includes/classification.json and occurrence.json, events/application/api.json, events/iam/
 * iam.json, account_change.json and user_access.json, profiles/host.json and cloud.json, the
 * objects the events name, and dictionary.json for types and enums). The schema is not available
 * offline, so this is our own reading of it, and only of what an export could contain: objects we
 * never emit (process, session, device...) are checked as objects, not field by field.
 *
 * <p>A line is valid when it is a JSON object of a known class whose every required attribute is
 * present and not null, which holds no attribute its class (with the profiles it names in {@code
 * metadata.profiles}) does not define, whose values have the dictionary's types and enum values (an
 * {@code _id} and its caption sibling agree unless the id is 99, Other), whose {@code type_uid} is
 * {@code class_uid * 100 + activity_id} and whose objects hold the attributes their constraints ask
 * for (at least one of name or uid...). {@link #check} answers every violation, each naming its
 * attribute path.
 */
final class OcsfSchema {
  static final String VERSION = "1.1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Need {
    REQUIRED,
    RECOMMENDED,
    OPTIONAL
  }

  /** An attribute: its type (a dictionary type such as integer_t, or an object's name). */
  record Attr(String type, boolean array, Need need, Map<Integer, String> values) {}

  record ObjectDef(Map<String, Attr> attrs, List<String> atLeastOne) {}

  record ClassDef(
      int uid,
      int category,
      String name,
      Map<String, Attr> attrs,
      Map<String, Map<String, Attr>> profiles) {}

  private static Attr a(String type, Need need) {
    return new Attr(type, false, need, Map.of());
  }

  private static Attr list(String type, Need need) {
    return new Attr(type, true, need, Map.of());
  }

  private static Attr e(Need need, Map<Integer, String> values) {
    return new Attr("integer_t", false, need, values);
  }

  private static final Need R = Need.REQUIRED;
  private static final Need REC = Need.RECOMMENDED;
  private static final Need O = Need.OPTIONAL;

  /** dictionary.json: severity_id and status_id; classification.json adds 0 and 99 to every id. */
  static final Map<Integer, String> SEVERITY =
      Map.of(
          0,
          "Unknown",
          1,
          "Informational",
          2,
          "Low",
          3,
          "Medium",
          4,
          "High",
          5,
          "Critical",
          6,
          "Fatal",
          99,
          "Other");

  static final Map<Integer, String> STATUS =
      Map.of(0, "Unknown", 1, "Success", 2, "Failure", 99, "Other");

  static final Map<Integer, String> USER_TYPE =
      Map.of(0, "Unknown", 1, "User", 2, "Admin", 3, "System", 99, "Other");

  /** base_event.json with classification.json and occurrence.json. */
  private static Map<String, Attr> base(Map<Integer, String> activities) {
    Map<String, Attr> m = new LinkedHashMap<>();
    Map<Integer, String> acts = new LinkedHashMap<>(activities);
    acts.put(0, "Unknown");
    acts.put(99, "Other");
    m.put("activity_id", e(R, acts));
    m.put("activity_name", a("string_t", O));
    m.put("category_uid", a("integer_t", R));
    m.put("category_name", a("string_t", O));
    m.put("class_uid", a("integer_t", R));
    m.put("class_name", a("string_t", O));
    m.put("type_uid", a("long_t", R));
    m.put("type_name", a("string_t", O));
    m.put("count", a("integer_t", O));
    m.put("duration", a("integer_t", O));
    m.put("end_time", a("timestamp_t", O));
    m.put("start_time", a("timestamp_t", O));
    m.put("time", a("timestamp_t", R));
    m.put("timezone_offset", a("integer_t", REC));
    m.put("enrichments", list("object", O));
    m.put("message", a("string_t", REC));
    m.put("metadata", a("metadata", R));
    m.put("observables", list("object", O));
    m.put("raw_data", a("string_t", O));
    m.put("severity", a("string_t", O));
    m.put("severity_id", e(R, SEVERITY));
    m.put("status", a("string_t", O));
    m.put("status_code", a("string_t", O));
    m.put("status_detail", a("string_t", O));
    m.put("status_id", e(REC, STATUS));
    m.put("unmapped", a("object", O));
    return m;
  }

  /** base_event.json names the cloud and datetime profiles; iam.json adds host. */
  private static Map<String, Map<String, Attr>> profiles(boolean host) {
    Map<String, Map<String, Attr>> p = new LinkedHashMap<>();
    p.put("cloud", Map.of("cloud", a("object", R), "api", a("api", O)));
    p.put("datetime", Map.of());
    if (host) {
      p.put("host", Map.of("device", a("object", REC), "actor", a("actor", O)));
    }
    return p;
  }

  static final Map<Integer, ClassDef> CLASSES = new LinkedHashMap<>();

  static {
    Map<String, Attr> api = base(Map.of(1, "Create", 2, "Read", 3, "Update", 4, "Delete"));
    api.put("api", a("api", R));
    api.put("actor", a("actor", R));
    api.put("src_endpoint", a("network_endpoint", R));
    api.put("dst_endpoint", a("network_endpoint", O));
    api.put("http_request", a("object", O));
    api.put("resources", list("resource_details", REC));
    CLASSES.put(6003, new ClassDef(6003, 6, "API Activity", api, profiles(false)));

    Map<Integer, String> accountActs = new LinkedHashMap<>();
    List.of(
            "Create",
            "Enable",
            "Password Change",
            "Password Reset",
            "Disable",
            "Delete",
            "Attach Policy",
            "Detach Policy",
            "Lock",
            "MFA Factor Enable",
            "MFA Factor Disable")
        .forEach(n -> accountActs.put(accountActs.size() + 1, n));
    Map<String, Attr> account = base(accountActs);
    account.put("actor", a("actor", REC));
    account.put("http_request", a("object", O));
    account.put("policy", a("object", O));
    account.put("src_endpoint", a("network_endpoint", REC));
    account.put("user", a("user", R));
    account.put("user_result", a("user", O));
    CLASSES.put(3001, new ClassDef(3001, 3, "Account Change", account, profiles(true)));

    Map<String, Attr> access = base(Map.of(1, "Assign Privileges", 2, "Revoke Privileges"));
    access.put("privileges", list("string_t", R));
    access.put("resource", a("resource_details", O));
    access.put("user", a("user", R));
    CLASSES.put(3005, new ClassDef(3005, 3, "User Access Management", access, profiles(true)));
  }

  static final Map<String, ObjectDef> OBJECTS = new LinkedHashMap<>();

  private static Map<String, Attr> entity() {
    Map<String, Attr> m = new LinkedHashMap<>();
    m.put("name", a("string_t", REC));
    m.put("uid", a("string_t", REC));
    return m;
  }

  static {
    Map<String, Attr> metadata = new LinkedHashMap<>();
    metadata.put("correlation_uid", a("string_t", O));
    metadata.put("event_code", a("string_t", O));
    metadata.put("extension", a("object", O));
    metadata.put("extensions", list("object", O));
    metadata.put("labels", list("string_t", O));
    metadata.put("log_level", a("string_t", O));
    metadata.put("log_name", a("string_t", REC));
    metadata.put("log_provider", a("string_t", REC));
    metadata.put("log_version", a("string_t", O));
    metadata.put("logged_time", a("timestamp_t", O));
    metadata.put("modified_time", a("timestamp_t", O));
    metadata.put("loggers", list("object", O));
    metadata.put("original_time", a("string_t", REC));
    metadata.put("processed_time", a("timestamp_t", O));
    metadata.put("product", a("product", R));
    metadata.put("profiles", list("string_t", O));
    metadata.put("sequence", a("integer_t", O));
    metadata.put("tenant_uid", a("string_t", REC));
    metadata.put("uid", a("string_t", O));
    metadata.put("version", a("string_t", R));
    OBJECTS.put("metadata", new ObjectDef(metadata, List.of()));

    Map<String, Attr> product = entity();
    product.put("feature", a("object", O));
    product.put("cpe_name", a("string_t", O));
    product.put("lang", a("string_t", O));
    product.put("path", a("string_t", O));
    product.put("url_string", a("string_t", O));
    product.put("vendor_name", a("string_t", R));
    product.put("version", a("string_t", REC));
    OBJECTS.put("product", new ObjectDef(product, List.of("name", "uid")));

    Map<String, Attr> actor = new LinkedHashMap<>();
    actor.put("authorizations", list("object", O));
    actor.put("idp", a("object", O));
    actor.put("invoked_by", a("string_t", O));
    actor.put("process", a("object", REC));
    actor.put("session", a("object", O));
    actor.put("user", a("user", REC));
    OBJECTS.put("actor", new ObjectDef(actor, List.of("process", "user", "invoked_by", "session")));

    Map<String, Attr> user = entity();
    user.put("account", a("object", O));
    user.put("credential_uid", a("string_t", O));
    user.put("domain", a("string_t", O));
    user.put("email_addr", a("string_t", O));
    user.put("full_name", a("string_t", O));
    user.put("groups", list("object", O));
    user.put("ldap_person", a("object", O));
    user.put("org", a("object", O));
    user.put("type", a("string_t", O));
    user.put("type_id", e(REC, USER_TYPE));
    user.put("uid_alt", a("string_t", O));
    OBJECTS.put("user", new ObjectDef(user, List.of("account", "name", "uid")));

    Map<String, Attr> apiObject = new LinkedHashMap<>();
    apiObject.put("group", a("object", O));
    apiObject.put("operation", a("string_t", R));
    apiObject.put("request", a("object", REC));
    apiObject.put("response", a("object", REC));
    apiObject.put("service", a("service", O));
    apiObject.put("version", a("string_t", O));
    OBJECTS.put("api", new ObjectDef(apiObject, List.of()));

    Map<String, Attr> service = entity();
    service.put("labels", list("string_t", O));
    service.put("version", a("string_t", REC));
    OBJECTS.put("service", new ObjectDef(service, List.of("name", "uid")));

    Map<String, Attr> endpoint = entity();
    endpoint.put("container", a("object", REC));
    endpoint.put("namespace_pid", a("integer_t", REC));
    endpoint.put("domain", a("string_t", O));
    endpoint.put("hostname", a("string_t", REC));
    endpoint.put("hw_info", a("object", O));
    endpoint.put("instance_uid", a("string_t", REC));
    endpoint.put("interface_name", a("string_t", REC));
    endpoint.put("interface_uid", a("string_t", REC));
    endpoint.put("ip", a("ip_t", REC));
    endpoint.put("location", a("object", O));
    endpoint.put("mac", a("string_t", O));
    endpoint.put("os", a("object", O));
    endpoint.put("subnet_uid", a("string_t", O));
    endpoint.put("type", a("string_t", O));
    endpoint.put("type_id", a("integer_t", REC));
    endpoint.put("vlan_uid", a("string_t", O));
    endpoint.put("vpc_uid", a("string_t", O));
    endpoint.put("zone", a("string_t", O));
    endpoint.put("intermediate_ips", list("ip_t", O));
    endpoint.put("proxy_endpoint", a("object", O));
    endpoint.put("port", a("integer_t", REC));
    endpoint.put("svc_name", a("string_t", REC));
    OBJECTS.put(
        "network_endpoint",
        new ObjectDef(
            endpoint,
            List.of(
                "ip",
                "uid",
                "name",
                "hostname",
                "svc_name",
                "instance_uid",
                "interface_uid",
                "interface_name")));

    Map<String, Attr> resource = entity();
    resource.put("name", a("string_t", O));
    resource.put("uid", a("string_t", O));
    resource.put("data", a("json_t", O));
    resource.put("labels", list("string_t", O));
    resource.put("type", a("string_t", O));
    resource.put("cloud_partition", a("string_t", O));
    resource.put("criticality", a("string_t", O));
    resource.put("group", a("object", O));
    resource.put("namespace", a("string_t", O));
    resource.put("owner", a("user", REC));
    resource.put("region", a("string_t", O));
    resource.put("version", a("string_t", O));
    OBJECTS.put("resource_details", new ObjectDef(resource, List.of("name", "uid")));
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,39}(%.+)?");

  private OcsfSchema() {}

  /** Every violation in one line, each naming its attribute; empty when the line is valid. */
  static List<String> check(String line) {
    List<String> bad = new ArrayList<>();
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (Exception e) {
      return List.of("not JSON: " + e.getMessage());
    }
    if (event == null || !event.isObject()) {
      return List.of("not a JSON object");
    }
    ClassDef c = CLASSES.get(event.path("class_uid").asInt(-1));
    if (c == null) {
      return List.of("class_uid: " + event.path("class_uid") + " is none of " + CLASSES.keySet());
    }
    Map<String, Attr> attrs = new LinkedHashMap<>(c.attrs());
    for (JsonNode p : event.path("metadata").path("profiles")) {
      Map<String, Attr> profile = c.profiles().get(p.asText());
      if (profile == null) {
        bad.add("metadata.profiles: " + c.name() + " has no profile " + p);
      } else {
        profile.forEach(attrs::putIfAbsent); // a class's own attribute wins over a profile's
      }
    }
    checkObject(event, attrs, List.of(), "", bad);
    if (event.path("category_uid").asInt(-1) != c.category()) {
      bad.add("category_uid: " + c.name() + " is in category " + c.category());
    }
    long typeUid = c.uid() * 100L + event.path("activity_id").asLong();
    if (event.path("type_uid").asLong(-1) != typeUid) {
      bad.add("type_uid: " + event.path("type_uid") + " is not class_uid * 100 + activity_id");
    }
    if (!VERSION.equals(event.path("metadata").path("version").asText())) {
      bad.add("metadata.version: this description is of OCSF " + VERSION);
    }
    return bad;
  }

  private static void checkObject(
      JsonNode o, Map<String, Attr> attrs, List<String> atLeastOne, String path, List<String> bad) {
    attrs.forEach(
        (name, attr) -> {
          if (attr.need() == Need.REQUIRED && (!o.has(name) || o.get(name).isNull())) {
            bad.add(path + name + ": required");
          }
        });
    if (!atLeastOne.isEmpty() && atLeastOne.stream().noneMatch(n -> present(o, n))) {
      String at = path.isEmpty() ? "event" : path.substring(0, path.length() - 1);
      bad.add(at + ": needs at least one of " + atLeastOne);
    }
    o.fields()
        .forEachRemaining(
            f -> {
              Attr attr = attrs.get(f.getKey());
              String at = path + f.getKey();
              if (attr == null) {
                bad.add(at + ": not an attribute of this class or object in OCSF " + VERSION);
                return;
              }
              JsonNode v = f.getValue();
              if (v.isNull()) {
                bad.add(at + ": null");
                return;
              }
              if (attr.array()) {
                if (!v.isArray()) {
                  bad.add(at + ": expected an array of " + attr.type());
                  return;
                }
                for (int i = 0; i < v.size(); i++) {
                  checkValue(v.get(i), attr, at + "[" + i + "]", bad);
                }
              } else {
                checkValue(v, attr, at, bad);
              }
              if (f.getKey().endsWith("_id") && !attr.values().isEmpty() && v.canConvertToInt()) {
                sibling(o, f.getKey(), attr.values().get(v.asInt()), v.asInt(), path, bad);
              }
            });
  }

  /** An enum's caption sibling (status beside status_id) names the same value unless Other. */
  private static void sibling(
      JsonNode o, String idName, String caption, int id, String path, List<String> bad) {
    String siblingName = idName.substring(0, idName.length() - 3);
    JsonNode s = o.get(siblingName);
    if (s != null && s.isTextual() && id != 99 && !s.asText().equals(caption)) {
      bad.add(path + siblingName + ": " + s + " but " + idName + " " + id + " is " + caption);
    }
  }

  private static void checkValue(JsonNode v, Attr attr, String at, List<String> bad) {
    switch (attr.type()) {
      case "integer_t" -> {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
          bad.add(at + ": expected integer_t, got " + v.getNodeType());
        } else if (!attr.values().isEmpty() && !attr.values().containsKey(v.asInt())) {
          bad.add(at + ": " + v + " is not one of " + attr.values().keySet());
        }
      }
      case "long_t", "timestamp_t" -> {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
          bad.add(at + ": expected " + attr.type() + ", got " + v.getNodeType());
        }
      }
      case "string_t" -> {
        if (!v.isTextual()) {
          bad.add(at + ": expected string_t, got " + v.getNodeType());
        } else if (v.asText().length() > 65535) {
          bad.add(at + ": longer than string_t's 65535");
        }
      }
      case "ip_t" -> {
        if (!v.isTextual() || !ip(v.asText())) {
          bad.add(at + ": " + v + " is not an ip_t");
        }
      }
      case "json_t" -> {}
      case "object" -> {
        if (!v.isObject()) {
          bad.add(at + ": expected an object, got " + v.getNodeType());
        }
      }
      default -> {
        ObjectDef def = OBJECTS.get(attr.type());
        if (def == null) {
          throw new IllegalStateException("no description of " + attr.type());
        }
        if (!v.isObject()) {
          bad.add(at + ": expected a " + attr.type() + " object, got " + v.getNodeType());
        } else {
          checkObject(v, def.attrs(), def.atLeastOne(), at + ".", bad);
        }
      }
    }
  }

  private static boolean present(JsonNode o, String name) {
    return o.has(name) && !o.get(name).isNull();
  }

  private static boolean ip(String s) {
    if (IPV4.matcher(s).matches()) {
      return true;
    }
    if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      // only hex digits, colons and dots reach here, so this parses and never looks a name up
      return InetAddress.getByName(s.replaceFirst("%.*$", "")) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
