// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

/** A client broke the DERP protocol: its connection is closed, nothing else is affected. */
final class DerpProtocolException extends Exception {
  DerpProtocolException(String message) {
    super(message, null, false, false);
  }
}
