// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;

import io.ledgerscale.projections.support.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns an event into an audit description. Known events get a precise target, old/new values and a
 * readable summary from their family's {@code <Family>Descriptions} (one per {@code domain.api}
 * package, listed in {@link #FAMILIES}); any other event (a domain-internal one) still gets a row,
 * described from its aggregate and its fields, so nothing in the store goes unaudited. Secret
 * hashes never enter the trail. {@code AuditDescriptionCoverageTest} fails when an event of the
 * message API has no description: to add one, register it in its family's {@code register}.
 */
final class AuditDescriber {
  private AuditDescriber() {}

  /** Every event family; a new family (a new {@code domain.api} package) adds itself here. */
  private static final List<Consumer<Descriptions>> FAMILIES =
      List.of(
          UserDescriptions::register,
          NodeDescriptions::register,
          PreAuthKeyDescriptions::register,
          ApiKeyDescriptions::register,
          PolicyDescriptions::register,
          ApprovalDescriptions::register,
          RegistrationDescriptions::register,
          SshCheckDescriptions::register,
          TailnetDescriptions::register,
          AuditReadDescriptions::register,
          DeadLetterDescriptions::register,
          EnrollmentDescriptions::register,
          RefusalDescriptions::register);

  private static final Descriptions KNOWN = known();

  private static Descriptions known() {
    Descriptions d = new Descriptions();
    FAMILIES.forEach(family -> family.accept(d));
    return d;
  }

  static AuditDescription describe(Object p, String aggregateId) {
    AuditDescription known = KNOWN.describe(p);
    return known != null ? known : generic(p, aggregateId);
  }

  /** The event types that get a precise description. */
  static Set<Class<?>> describedTypes() {
    return KNOWN.types();
  }

  private static AuditDescription generic(Object payload, String aggregateId) {
    Map<String, Object> values = new LinkedHashMap<>(Json.toMap(payload));
    values
        .keySet()
        .removeIf(
            k ->
                k.toLowerCase(Locale.ROOT).contains("secret")
                    || k.toLowerCase(Locale.ROOT).contains("hash")
                        && !k.toLowerCase(Locale.ROOT).contains("sha"));
    String type = null;
    String id = aggregateId;
    if (aggregateId != null && aggregateId.indexOf('-') > 0) {
      type = aggregateId.substring(0, aggregateId.indexOf('-'));
      id = aggregateId.substring(aggregateId.indexOf('-') + 1);
    } else if (aggregateId != null) {
      type = aggregateId;
    }
    return new AuditDescription(
        type,
        id,
        none(),
        values,
        payload.getClass().getSimpleName() + (aggregateId == null ? "" : " on " + aggregateId));
  }
}
