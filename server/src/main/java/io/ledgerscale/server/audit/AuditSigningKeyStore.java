// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.audit;

import io.ledgerscale.domain.ledger.NoteSigner;
import io.ledgerscale.gateway.key.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit ledger's Ed25519 note key. Auditors pin its public half, so it is created once and
 * never replaced: a file that exists but cannot be read or parsed, that others may read, or that
 * names another origin than the one configured stops the server with the reason.
 */
public final class AuditSigningKeyStore {
  private static final Logger log = LoggerFactory.getLogger(AuditSigningKeyStore.class);

  private AuditSigningKeyStore() {}

  /**
   * Loads the key at {@code path}, or creates one named {@code origin}.
   *
   * @param explicitOrigin whether the operator set the origin (then a key with another name is
   *     refused rather than used)
   */
  public static NoteSigner loadOrCreate(
      Path path, String origin, boolean explicitOrigin, SecureRandom random) {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      NoteSigner key = load(path);
      if (explicitOrigin && !key.name().equals(origin)) {
        throw new IllegalStateException(
            "the audit signing key "
                + path
                + " is for origin "
                + key.name()
                + ", not audit_ledger.origin "
                + origin
                + "; refusing to start rather than replace it (auditors pin this key)."
                + " Set audit_ledger.origin to "
                + key.name()
                + ", or point audit_ledger.signing_key_path at a new file");
      }
      return key;
    }
    NoteSigner key = NoteSigner.generate(origin, random);
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(path.getFileName() + ".tmp-" + Long.toHexString(random.nextLong()));
      SecretFiles.createOwnerOnly(tmp, (key.keyText() + "\n").getBytes(StandardCharsets.US_ASCII));
      try {
        // no REPLACE_EXISTING: if another process created the key meanwhile, keep theirs
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(tmp);
        return load(path);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the audit signing key file " + path + ": " + e.getMessage(), e);
    }
    log.info(
        "created the audit signing key at {}; verifier key (give it to your auditors): {}",
        path,
        key.verifier().keyText());
    return key;
  }

  private static NoteSigner load(Path path) {
    String text;
    try {
      if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (perms.stream()
            .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          throw new IllegalStateException(
              "the audit signing key file "
                  + path
                  + " may be read or changed by others ("
                  + PosixFilePermissions.toString(perms)
                  + "); make it 0600 (chmod 600), and consider the key exposed");
        }
      }
      text = Files.readString(path, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the audit signing key file "
              + path
              + "; refusing to start rather than replace it (auditors pin this key): "
              + e.getMessage(),
          e);
    }
    NoteSigner key = NoteSigner.parse(text);
    if (key == null) {
      throw new IllegalStateException(
          "the audit signing key file "
              + path
              + " does not hold a key in the form PRIVATE+KEY+<name>+<hash>+<key>;"
              + " refusing to start rather than replace it (auditors pin this key)");
    }
    return key;
  }
}
