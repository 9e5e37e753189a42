// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServerVersionTest {
  /** The pattern Headplane reads /version with (tale/headplane server-version.ts, SEMVER_RE). */
  private static final Pattern HEADPLANE =
      Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?$");

  @Test
  void reportsTheHeadscaleApiItAnswersWithItsOwnVersionAsBuildMetadata() {
    var m = HEADPLANE.matcher(ServerVersion.reported());

    assertThat(m.matches()).as(ServerVersion.reported()).isTrue();
    assertThat(m.group(1) + "." + m.group(2) + "." + m.group(3))
        .isEqualTo(ServerVersion.HEADSCALE_API);
    assertThat(m.group(4)).as("no pre-release: Headplane would still compare 0.29.0").isNull();
    assertThat(m.group(5)).startsWith("ledgerscale.");
  }

  @Test
  void keepsBuildMetadataToTheCharactersSemverAllows() {
    assertThat(ServerVersion.buildMetadata("0.1.0-SNAPSHOT")).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(ServerVersion.buildMetadata("1.0+git abc")).isEqualTo("1.0-git-abc");
    assertThat(ServerVersion.buildMetadata("")).isEqualTo("dev");
  }
}
