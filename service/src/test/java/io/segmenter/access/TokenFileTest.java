package io.segmenter.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.segmenter.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer tokens hashed at rest: parsing, authentication, and rotation without a restart. */
class TokenFileTest {
  static final String CRM_TOKEN = "crm-token-0123456789abcdef";
  static final String GRAFANA_TOKEN = "grafana-token-0123456789abcdef";
  static final String NEW_CRM_TOKEN = "crm-token-fedcba9876543210";

  @TempDir
  Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

  Path write(String name, String... lines) throws Exception {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void aListedTokenAuthenticatesAsItsNameAndRoleAndNothingElseDoes() throws Exception {
    Path file = write("tokens", "# clients", "", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN),
        "  " + TokenFile.line(Role.OPS, "grafana", GRAFANA_TOKEN) + "  ");
    TokenFile tokens = TokenFile.load(file, clock);

    assertThat(tokens.authenticate(CRM_TOKEN))
        .contains(new Principal("crm-app", Set.of(Role.READER), Principal.Authentication.TOKEN));
    assertThat(tokens.authenticate(GRAFANA_TOKEN))
        .contains(new Principal("grafana", Set.of(Role.OPS), Principal.Authentication.TOKEN));
    assertThat(tokens.authenticate(CRM_TOKEN + "x")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
    // The file holds hashes: the hash itself is not a token.
    String hash = TokenFile.line(Role.READER, "crm-app", CRM_TOKEN).split(" ")[2];
    assertThat(tokens.authenticate(hash)).isEmpty();
    assertThat(tokens.authenticate(hash.substring("sha256:".length()))).isEmpty();
    assertThat(tokens.hasTokens()).isTrue();
  }

  @Test
  void theLineIsTheRoleTheNameAndTheSha256OfTheToken() {
    // sha256("test-token-abcdefgh") as printed by: printf %s test-token-abcdefgh | sha256sum
    assertThat(TokenFile.line(Role.OPS, "grafana", "test-token-abcdefgh"))
        .isEqualTo("ops grafana sha256:d88ffe6cd43ae784da84a1fdc03ab5d24d9c5eb8839e01dddbcafaec6370d59b");
    assertThat(TokenFile.line(Role.READER, "crm-app", "test-token-abcdefgh")).startsWith("reader crm-app sha256:");
  }

  @Test
  void upperCaseHexAndRoleNamesAreAccepted() throws Exception {
    String line = TokenFile.line(Role.READER, "crm-app", CRM_TOKEN);
    String[] words = line.split(" ");
    Path file = write("tokens", "READER " + words[1] + " sha256:" + words[2].substring(7).toUpperCase());
    assertThat(TokenFile.load(file, clock).authenticate(CRM_TOKEN)).map(Principal::name).contains("crm-app");
  }

  @Test
  void aFileOfCommentsHasNoTokens() throws Exception {
    TokenFile tokens = TokenFile.load(write("tokens", "# nobody yet", ""), clock);
    assertThat(tokens.hasTokens()).isFalse();
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "reader crm-app                                  ; expected",
      "reader crm-app sha256:abc                       ; expected",
      "reader crm-app md5:0123456789abcdef0123456789abcdef ; expected",
      "reader crm app HASH                             ; expected",
      "peer segmenter HASH                             ; the role must be ops or reader",
      "admin crm-app HASH                              ; the role must be ops or reader"})
  void aMalformedFileAtStartUpNamesTheFileAndTheLineButNoContent(String badLine, String problem) throws Exception {
    String hash = "sha256:" + "ab".repeat(32);
    String bad = badLine.strip().replace("HASH", hash);
    Path file = write("tokens", "# ok", TokenFile.line(Role.OPS, "grafana", GRAFANA_TOKEN), bad);
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.load(file, clock))
        .withMessageStartingWith(file + " line 3: ")
        .withMessageContaining(problem.strip())
        .withMessageNotContaining("crm")
        .withMessageNotContaining("abab")
        .withMessageNotContaining("0123");
  }

  @Test
  void theSameTokenTwiceIsRefusedButTheSameNameTwiceIsARotation() throws Exception {
    Path twice = write("twice", TokenFile.line(Role.OPS, "a", CRM_TOKEN), TokenFile.line(Role.READER, "b", CRM_TOKEN));
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.load(twice, clock))
        .withMessage(twice + " line 2: the same token is listed on an earlier line");

    Path rotating = write("rotating", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN),
        TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN));
    TokenFile tokens = TokenFile.load(rotating, clock);
    assertThat(tokens.authenticate(CRM_TOKEN)).map(Principal::name).contains("crm-app");
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).map(Principal::name).contains("crm-app");
  }

  @Test
  void aMissingFileFailsFast() {
    Path missing = dir.resolve("nope");
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.load(missing, clock))
        .withMessageStartingWith(missing + ": cannot read it");
  }

  @Test
  void aRewrittenFileIsReadAgainAfterASecondNotBefore() throws Exception {
    Path file = write("tokens", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN));
    TokenFile tokens = TokenFile.load(file, clock);
    write("tokens", TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN), TokenFile.line(Role.OPS, "grafana", GRAFANA_TOKEN));

    clock.advance(Duration.ofMillis(999));
    assertThat(tokens.authenticate(CRM_TOKEN)).as("not looked at yet").isPresent();
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).isEmpty();

    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.authenticate(CRM_TOKEN)).as("rotated out").isEmpty();
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).map(Principal::name).contains("crm-app");
    assertThat(tokens.authenticate(GRAFANA_TOKEN)).map(Principal::roles).contains(Set.of(Role.OPS));
  }

  @Test
  void aClockSetBackDoesNotStopTheLooks() throws Exception {
    Path file = write("tokens", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN));
    TokenFile tokens = TokenFile.load(file, clock);
    clock.advance(Duration.ofHours(-1));
    write("tokens", TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN), TokenFile.line(Role.OPS, "grafana", GRAFANA_TOKEN));
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).isPresent();
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
  }

  @Test
  void aChangeOfTheSameSizeIsSeenByItsModificationTime() throws Exception {
    Path file = write("tokens", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T11:00:00Z")));
    TokenFile tokens = TokenFile.load(file, clock);
    long size = Files.size(file);

    write("tokens", TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN));
    assertThat(Files.size(file)).isEqualTo(size);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T11:00:00Z")));
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(CRM_TOKEN)).as("same time, size and file: not re-read").isPresent();

    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T12:00:05Z")));
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).isPresent();
  }

  @Test
  void aMalformedRewriteKeepsThePreviousTokensUntilItIsFixed() throws Exception {
    Path file = write("tokens", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN));
    TokenFile tokens = TokenFile.load(file, clock);

    write("tokens", TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN), "reader half-written sha256:01");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(CRM_TOKEN)).isPresent();
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).as("nothing of the bad version").isEmpty();

    write("tokens", TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN));
    Files.setLastModifiedTime(file, FileTime.from(clock.instant().plusSeconds(5)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).isPresent();
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
  }

  @Test
  void aDeletedFileKeepsThePreviousTokensAndItsReturnIsSeen() throws Exception {
    Path file = write("tokens", TokenFile.line(Role.READER, "crm-app", CRM_TOKEN));
    TokenFile tokens = TokenFile.load(file, clock);
    Files.delete(file);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(CRM_TOKEN)).isPresent();

    write("tokens", TokenFile.line(Role.OPS, "grafana", GRAFANA_TOKEN));
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.authenticate(GRAFANA_TOKEN)).isPresent();
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
  }

  /**
   * A Kubernetes Secret volume: {@code tokens -> ..data/tokens}, {@code ..data -> ..<timestamp>}; an
   * update writes a new directory and swaps {@code ..data}. Same time and size on purpose: only the
   * re-resolved path tells the versions apart.
   */
  @Test
  void aSecretVolumeSymlinkSwapIsSeen() throws Exception {
    FileTime time = FileTime.from(Instant.parse("2025-03-01T11:00:00Z"));
    Path first = Files.createDirectory(dir.resolve("..2025_03_01_11_00_00.1"));
    Files.setLastModifiedTime(Files.write(first.resolve("tokens"),
        List.of(TokenFile.line(Role.READER, "crm-app", CRM_TOKEN))), time);
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path link = Files.createSymbolicLink(dir.resolve("tokens"), Path.of("..data", "tokens"));
    TokenFile tokens = TokenFile.load(link, clock);
    assertThat(tokens.authenticate(CRM_TOKEN)).isPresent();

    Path second = Files.createDirectory(dir.resolve("..2025_03_01_12_00_00.2"));
    Files.setLastModifiedTime(Files.write(second.resolve("tokens"),
        List.of(TokenFile.line(Role.READER, "crm-app", NEW_CRM_TOKEN))), time);
    Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    clock.advance(Duration.ofSeconds(1));

    assertThat(tokens.authenticate(NEW_CRM_TOKEN)).isPresent();
    assertThat(tokens.authenticate(CRM_TOKEN)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"short-token", "has space in it 0123456789", "ünïcödé-0123456789abcdef"})
  void lineRefusesTokensThatAreShortOrCannotTravelInAHeader(String token) {
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.line(Role.OPS, "grafana", token))
        .withMessageContaining("at least 16 characters")
        .withMessageNotContaining(token);
  }

  @Test
  void lineRefusesNamesWithSpacesAndTheRoleOfPeers() {
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.line(Role.OPS, "crm app", CRM_TOKEN))
        .withMessageContaining("one word");
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.line(Role.OPS, "#crm", CRM_TOKEN))
        .withMessageContaining("one word");
    assertThatIllegalArgumentException().isThrownBy(() -> TokenFile.line(Role.PEER, "crm", CRM_TOKEN))
        .withMessage("the role must be ops or reader");
  }

  @Test
  void newTokensAre32RandomBytesInBase64UrlAndWorkInTheFile() throws Exception {
    SecureRandom random = new SecureRandom();
    String a = TokenFile.newToken(random);
    String b = TokenFile.newToken(random);
    assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b);
    assertThat(java.util.Base64.getUrlDecoder().decode(a)).hasSize(32);
    TokenFile tokens = TokenFile.load(write("tokens", TokenFile.line(Role.READER, "x", a)), clock);
    assertThat(tokens.authenticate(a)).isPresent();
    assertThat(tokens.authenticate(b)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "Bearer abc.DEF-123_~+/=     | abc.DEF-123_~+/=",
      "bearer abc                  | abc",
      "BEARER   abc                | abc",
      "Basic dXNlcjpwYXNz          | NULL",
      "Bearer                      | NULL",
      "Bearer a b                  | NULL",
      "Bearerabc                   | NULL",
      "NULL                        | NULL"})
  void theBearerTokenOfAnAuthorizationHeader(String header, String token) {
    assertThat(TokenFile.bearerToken(header == null ? null : header.strip())).isEqualTo(Optional.ofNullable(token));
  }
}
