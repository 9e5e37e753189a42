// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import io.ledgerscale.gateway.noise.Curve25519;

/** The server's Noise static key pair. {@link #toString()} never shows the private half. */
public final class ServerMachineKey {
  private final byte[] privateKey;
  private final byte[] publicKey;

  public ServerMachineKey(byte[] privateKey) {
    this.privateKey = privateKey.clone();
    this.publicKey = Curve25519.publicKey(this.privateKey);
  }

  public byte[] privateKey() {
    return privateKey.clone();
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyText() {
    return KeyText.format(KeyText.MACHINE_PUBLIC, publicKey);
  }

  @Override
  public String toString() {
    return "ServerMachineKey[" + publicKeyText() + "]";
  }
}
