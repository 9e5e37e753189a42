// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Within each module the feature packages depend on each other one way (docs/design.md): a toolbox
 * package ({@code support}) serves the features and knows none of them, and what wires every
 * feature together sits in the module's root package, outside every slice.
 */
class PackageCycleTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ledgerscale");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.ledgerscale.domain.(*)..",
        "io.ledgerscale.domain.api.(*)..",
        "io.ledgerscale.domain.policy.(*)..",
        "io.ledgerscale.projections.(*)..",
        "io.ledgerscale.gateway.(*)..",
        "io.ledgerscale.admin.(*)..",
        "io.ledgerscale.server.(*)..",
        "io.ledgerscale.cli.(*)..",
      })
  void noPackageCycleWithinAModule(String packagesOfOneModule) {
    slices().matching(packagesOfOneModule).should().beFreeOfCycles().check(classes);
  }
}
