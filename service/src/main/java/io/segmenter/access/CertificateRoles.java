package io.segmenter.access;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Client-certificate subjects mapped to roles, for mutual TLS. One mapping a line, blank lines and
 * {@code #} comments allowed:
 *
 * <pre>
 * # role  subject distinguished name (RFC 2253 / 1779)
 * reader  CN=crm-app,O=Acme
 * ops     CN=prometheus, O=Acme
 * peer    CN=segmenter,OU=prod,O=Acme
 * </pre>
 *
 * <p>Subjects are compared as {@link X500Principal}s, whose equality is that of the canonical form:
 * spacing, the case of attribute names and of (most) values do not matter, the order of attributes
 * does. A subject listed on several lines has all their roles. The TLS layer has already checked the
 * certificate against the trusted authorities; this class only says what its subject may do.
 *
 * <p>The file is re-read when it changes (at most once a second): see {@link ReloadingFile}.
 */
public final class CertificateRoles {
  private final ReloadingFile<Map<X500Principal, Set<Role>>> file;

  private CertificateRoles(ReloadingFile<Map<X500Principal, Set<Role>>> file) {
    this.file = file;
  }

  /**
   * Reads the file; throws IllegalArgumentException naming the file and the line when it is missing
   * or malformed. {@code clock} paces the look for changes.
   */
  public static CertificateRoles load(Path path, Clock clock) {
    return new CertificateRoles(new ReloadingFile<>(path, clock, CertificateRoles::parse));
  }

  /** The principal for a verified client certificate's subject, or empty when the file does not list it. */
  public Optional<Principal> principalOf(X500Principal subject) {
    if (subject == null) return Optional.empty();
    Set<Role> roles = file.current().get(subject);
    if (roles == null) return Optional.empty();
    return Optional.of(new Principal(subject.getName(), roles, Principal.Authentication.CERTIFICATE));
  }

  /** Whether the file maps at least one subject (now: it may have been emptied since). */
  public boolean hasSubjects() {
    return !file.current().isEmpty();
  }

  private static Map<X500Principal, Set<Role>> parse(List<String> lines) throws ReloadingFile.BadLine {
    Map<X500Principal, Set<Role>> roles = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] words = line.split("\\s+", 2);
      if (words.length != 2) throw new ReloadingFile.BadLine(i + 1, "expected '<ops|reader|peer> <subject DN>'");
      Role role = Role.ofFileName(words[0]);
      if (role == null) throw new ReloadingFile.BadLine(i + 1, "the role must be ops, reader or peer");
      X500Principal subject;
      try {
        subject = new X500Principal(words[1]);
      } catch (IllegalArgumentException e) {
        throw new ReloadingFile.BadLine(i + 1, "the subject is not a distinguished name such as CN=app,O=Example");
      }
      roles.computeIfAbsent(subject, s -> EnumSet.noneOf(Role.class)).add(role);
    }
    Map<X500Principal, Set<Role>> frozen = new HashMap<>();
    roles.forEach((s, r) -> frozen.put(s, Set.copyOf(r)));
    return Map.copyOf(frozen);
  }
}
