// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.ClassMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;

/**
 * Every event of the message API reads as words in the audit trail: an event nobody described would
 * only show its class name and raw fields. Add the description to its family's {@code
 * <Family>Descriptions.register} (a new {@code domain.api} package: a new family, listed in {@code
 * AuditDescriber}).
 */
class AuditDescriptionCoverageTest {

  @Test
  void everyEventOfTheMessageApiHasADescription() throws Exception {
    List<Class<?>> events = messageApiEvents();
    // the scan itself must see the API, or this test would pass on nothing
    assertThat(events).hasSizeGreaterThan(40);

    List<Class<?>> undescribed =
        events.stream().filter(e -> !AuditDescriber.describedTypes().contains(e)).toList();
    assertThat(undescribed)
        .as("events without an audit description (register them in their family's Descriptions)")
        .isEmpty();
  }

  @Test
  void everyDescribedTypeIsAnEventOfTheMessageApi() throws Exception {
    assertThat(messageApiEvents()).containsAll(AuditDescriber.describedTypes());
  }

  private static List<Class<?>> messageApiEvents() throws IOException, ClassNotFoundException {
    Resource[] found =
        new PathMatchingResourcePatternResolver()
            .getResources("classpath*:io/ledgerscale/domain/api/**/*Event.class");
    SimpleMetadataReaderFactory reader = new SimpleMetadataReaderFactory();
    List<Class<?>> events = new ArrayList<>();
    for (Resource resource : found) {
      ClassMetadata type = reader.getMetadataReader(resource).getClassMetadata();
      if (type.isConcrete() && !type.isAnnotation()) {
        events.add(Class.forName(type.getClassName()));
      }
    }
    return events;
  }
}
