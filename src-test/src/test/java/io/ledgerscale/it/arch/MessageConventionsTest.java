// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts of adding an event (docs/design.md, "Adding an event") that a rule can check: an event
 * of the message API is an immutable record with a serializer revision, so a stored event can be
 * upcast when it changes. Its audit description is checked by the projections' {@code
 * AuditDescriptionCoverageTest}.
 */
class MessageConventionsTest {
  private static JavaClasses api;

  @BeforeAll
  static void importClasses() {
    api =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ledgerscale.domain.api");
  }

  @Test
  void everyEventIsARecordWithARevision() {
    classes()
        .that()
        .haveSimpleNameEndingWith("Event")
        .and()
        .areTopLevelClasses()
        .should()
        .beAssignableTo(Record.class)
        .andShould()
        .beAnnotatedWith(Revision.class)
        .check(api);
  }

  @Test
  void everyCommandIsARecord() {
    classes()
        .that()
        .haveSimpleNameEndingWith("Command")
        .and()
        .areTopLevelClasses()
        .should()
        .beAssignableTo(Record.class)
        .check(api);
  }
}
