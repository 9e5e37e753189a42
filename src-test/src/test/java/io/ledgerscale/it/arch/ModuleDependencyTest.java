// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module graph pointing one way (docs/design.md): the domain knows no Spring web and no
 * SQL, and the edges (gateway, admin API) reach the domain only through its message API and Axon's
 * gateways.
 */
class ModuleDependencyTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ledgerscale");
  }

  @Test
  void domainKnowsNoSpringNoSqlNoServlet() {
    noClasses()
        .that()
        .resideInAPackage("io.ledgerscale.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "java.sql..",
            "javax.sql..",
            "jakarta.servlet..",
            "io.undertow..")
        .check(classes);
  }

  @Test
  void domainDependsOnNoOuterModule() {
    noClasses()
        .that()
        .resideInAPackage("io.ledgerscale.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ledgerscale.projections..",
            "io.ledgerscale.gateway..",
            "io.ledgerscale.admin..",
            "io.ledgerscale.server..",
            "io.ledgerscale.cli..")
        .check(classes);
  }

  @Test
  void edgesReachTheDomainOnlyThroughItsMessageApi() {
    noClasses()
        .that()
        .resideInAnyPackage("io.ledgerscale.gateway..", "io.ledgerscale.admin..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ledgerscale.domain.user..",
            "io.ledgerscale.domain.node..",
            "io.ledgerscale.domain.preauthkey..",
            "io.ledgerscale.domain.apikey..",
            "io.ledgerscale.domain.enrollment..",
            "io.ledgerscale.domain.sshcheck..",
            "io.ledgerscale.domain.tailnet..",
            "io.ledgerscale.projections..",
            "io.ledgerscale.server..")
        .check(classes);
  }

  @Test
  void edgesNeverTouchSql() {
    noClasses()
        .that()
        .resideInAnyPackage("io.ledgerscale.gateway..", "io.ledgerscale.admin..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
        .check(classes);
  }

  @Test
  void projectionsSendNoCommands() {
    noClasses()
        .that()
        .resideInAPackage("io.ledgerscale.projections..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.axonframework.commandhandling.gateway.CommandGateway")
        .check(classes);
  }

  @Test
  void gatewayAndAdminApiDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.ledgerscale.gateway..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.ledgerscale.admin..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.ledgerscale.admin..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.ledgerscale.gateway..")
        .check(classes);
  }
}
