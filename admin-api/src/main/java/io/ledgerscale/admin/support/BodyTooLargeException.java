// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import java.io.IOException;

/** A request body grew past the admin API's limit while it was being read. */
public class BodyTooLargeException extends IOException {
  public BodyTooLargeException(long limit) {
    super("request body larger than " + limit + " bytes");
  }
}
