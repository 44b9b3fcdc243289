package io.segmenter.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.segmenter.testing.ManualClock;
import io.segmenter.testing.TestTls;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client-certificate subjects mapped to roles: matching by distinguished name, bad files, reloads. */
class CertificateRolesTest {
  @TempDir
  Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

  Path write(String... lines) throws Exception {
    return Files.write(dir.resolve("certificate-roles"), List.of(lines));
  }

  @Test
  void aListedSubjectHasItsRolesWhateverTheSpacingAndCaseOfItsAttributes() throws Exception {
    CertificateRoles roles = CertificateRoles.load(write("# mTLS clients", "", "reader CN=crm-app,O=Acme",
        "ops    CN=prometheus, O=Acme", "peer   cn=segmenter,ou=prod,o=acme"), clock);

    assertThat(roles.principalOf(new X500Principal("CN=crm-app, O=Acme")))
        .contains(new Principal("CN=crm-app,O=Acme", Set.of(Role.READER), Principal.Authentication.CERTIFICATE));
    assertThat(roles.principalOf(new X500Principal("cn=prometheus,o=Acme"))).map(Principal::roles).contains(Set.of(Role.OPS));
    assertThat(roles.principalOf(new X500Principal("CN=segmenter, OU=prod, O=Acme"))).map(Principal::roles)
        .contains(Set.of(Role.PEER));
    assertThat(roles.hasSubjects()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "CN=crm-app,O=Other",
      "CN=crm-app",
      "CN=crm-app,O=Acme,C=DE",
      "O=Acme,CN=crm-app",
      "CN=crm-app2,O=Acme"})
  void otherSubjectsHaveNoRoles(String subject) throws Exception {
    CertificateRoles roles = CertificateRoles.load(write("reader CN=crm-app,O=Acme"), clock);
    assertThat(roles.principalOf(new X500Principal(subject))).isEmpty();
    assertThat(roles.principalOf(null)).isEmpty();
  }

  @Test
  void aSubjectOnSeveralLinesHasAllTheirRoles() throws Exception {
    CertificateRoles roles = CertificateRoles.load(write("ops CN=admin,O=Acme", "peer CN=admin, O=Acme"), clock);
    assertThat(roles.principalOf(new X500Principal("CN=admin,O=Acme"))).map(Principal::roles)
        .contains(Set.of(Role.OPS, Role.PEER));
  }

  /** The subject as the TLS layer hands it over: from a real certificate made by keytool. */
  @Test
  void theSubjectOfARealCertificateMatches() throws Exception {
    TestTls.Identity identity = TestTls.newIdentity(dir, "crm", "CN=crm-app, OU=Sales, O=Acme, C=DE", "dns:localhost");
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(identity.certificate())) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    CertificateRoles roles = CertificateRoles.load(write("reader c=de,o=acme,ou=sales,cn=crm-app"), clock);
    assertThat(roles.principalOf(cert.getSubjectX500Principal())).isEmpty(); // the order of attributes matters
    roles = CertificateRoles.load(write("reader cn=crm-app,ou=sales,o=acme,c=de"), clock);
    assertThat(roles.principalOf(cert.getSubjectX500Principal())).map(Principal::name)
        .contains("CN=crm-app,OU=Sales,O=Acme,C=DE");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "reader; expected",
      "admin CN=crm-app,O=Acme; the role must be ops, reader or peer",
      "reader not a dn; the subject is not a distinguished name",
      "reader CN; the subject is not a distinguished name"})
  void aMalformedFileAtStartUpNamesTheFileAndTheLine(String badLine, String problem) throws Exception {
    Path file = write("ops CN=prometheus,O=Acme", "", badLine);
    assertThatIllegalArgumentException().isThrownBy(() -> CertificateRoles.load(file, clock))
        .withMessageStartingWith(file + " line 3: ")
        .withMessageContaining(problem)
        .withMessageNotContaining("crm-app");
  }

  @Test
  void aChangedFileIsReadAgainAfterASecondAndABadOneIsIgnored() throws Exception {
    Path file = write("reader CN=crm-app,O=Acme");
    CertificateRoles roles = CertificateRoles.load(file, clock);
    X500Principal crm = new X500Principal("CN=crm-app,O=Acme");
    X500Principal billing = new X500Principal("CN=billing,O=Acme");

    write("reader CN=billing,O=Acme");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T12:00:01Z")));
    assertThat(roles.principalOf(billing)).as("within the second").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(roles.principalOf(billing)).isPresent();
    assertThat(roles.principalOf(crm)).isEmpty();

    write("reader CN=billing,O=Acme", "reader no-equals-sign");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T12:00:02Z")));
    clock.advance(Duration.ofSeconds(1));
    assertThat(roles.principalOf(billing)).as("the previous mapping stays").isPresent();
  }
}
