// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import java.util.List;
import java.util.Objects;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matchers for the audit metadata that every event must inherit from its command. */
public final class AuditMatchers {

  private AuditMatchers() {}

  /** Every event (at least one) carries the audit keys exactly as the command metadata had them. */
  public static Matcher<List<EventMessage<?>>> allCarry(MetaData commandMetaData) {
    return new TypeSafeMatcher<>() {
      @Override
      protected boolean matchesSafely(List<EventMessage<?>> events) {
        if (events.isEmpty()) {
          return false;
        }
        for (EventMessage<?> event : events) {
          for (String key : AuditMetadata.KEYS) {
            if (!Objects.equals(event.getMetaData().get(key), commandMetaData.get(key))) {
              return false;
            }
          }
        }
        return true;
      }

      @Override
      public void describeTo(Description description) {
        description.appendText("events carrying the audit metadata " + commandMetaData);
      }

      @Override
      protected void describeMismatchSafely(List<EventMessage<?>> events, Description mismatch) {
        mismatch.appendText("were ");
        for (EventMessage<?> event : events) {
          mismatch.appendText(
              event.getPayloadType().getSimpleName() + " " + event.getMetaData() + "; ");
        }
      }
    };
  }
}
