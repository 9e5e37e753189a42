// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ledgerscale.it.e2e.support.GoToolBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module table in docs/design.md is the allow-list: each module's classes may use only its own
 * classes and those of the modules its row names, and each module's pom.xml may declare only those
 * modules as compile dependencies. So the table a newcomer reads is the rule the build keeps, and a
 * new edge needs a visible change to the document.
 */
class ModuleAllowListTest {
  private static final Pattern HEADER =
      Pattern.compile("^\\| module \\| packages \\| may import \\|");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern OUR_ARTIFACT =
      Pattern.compile("<artifactId>ledgerscale-([a-z-]+)</artifactId>");

  /** One row of the table: the module's package roots and the modules it may import. */
  record Row(List<String> packages, Set<String> mayImport) {}

  private static Map<String, Row> table;
  private static JavaClasses classes;

  @BeforeAll
  static void readTableAndClasses() throws IOException {
    table = readTable(GoToolBuild.repoRoot().resolve("docs/design.md"));
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ledgerscale");
  }

  @Test
  void everyMavenModuleHasARow() throws IOException {
    String rootPom = Files.readString(GoToolBuild.repoRoot().resolve("pom.xml"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    Set<String> modules = new TreeSet<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(modules);
  }

  @Test
  void classesUseOnlyTheModulesTheirRowAllows() {
    List<String> violations = new ArrayList<>();
    Set<String> unplaced = new TreeSet<>();
    for (JavaClass origin : classes) {
      String from = moduleOf(origin.getPackageName());
      if (from == null) {
        unplaced.add(origin.getName());
        continue;
      }
      for (Dependency d : origin.getDirectDependenciesFromSelf()) {
        String to = moduleOf(d.getTargetClass().getPackageName());
        if (to != null && !to.equals(from) && !table.get(from).mayImport().contains(to)) {
          violations.add(from + " -> " + to + ": " + d.getDescription());
        }
      }
    }
    assertThat(unplaced).as("classes in no module's packages").isEmpty();
    assertThat(violations).as("imports the table in docs/design.md does not allow").isEmpty();
  }

  @Test
  void pomsDeclareOnlyAllowedModules() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Row> row : table.entrySet()) {
      String pom =
          Files.readString(GoToolBuild.repoRoot().resolve(row.getKey()).resolve("pom.xml"));
      Matcher dependency = DEPENDENCY.matcher(pom);
      while (dependency.find()) {
        String block = dependency.group(1);
        Matcher artifact = OUR_ARTIFACT.matcher(block);
        if (!artifact.find() || block.contains("<scope>test</scope>")) {
          continue;
        }
        if (!row.getValue().mayImport().contains(artifact.group(1))) {
          violations.add(row.getKey() + " declares ledgerscale-" + artifact.group(1));
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** The module whose package root is the longest prefix of the package, or null. */
  private static String moduleOf(String packageName) {
    String best = null;
    int bestLength = -1;
    for (Map.Entry<String, Row> row : table.entrySet()) {
      for (String root : row.getValue().packages()) {
        boolean inside = packageName.equals(root) || packageName.startsWith(root + ".");
        if (inside && root.length() > bestLength) {
          best = row.getKey();
          bestLength = root.length();
        }
      }
    }
    return best;
  }

  static Map<String, Row> readTable(Path design) throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(design)) {
      if (HEADER.matcher(line).find()) {
        inTable = true;
        continue;
      }
      if (!inTable || line.startsWith("| ---")) {
        continue;
      }
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|");
      String module = codes(cells[1]).get(0);
      List<String> packages = codes(cells[2]);
      Set<String> mayImport = new TreeSet<>(codes(cells[3]));
      rows.put(module, new Row(packages, mayImport));
    }
    assertThat(rows).as("module table in " + design).isNotEmpty();
    return rows;
  }

  private static List<String> codes(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
