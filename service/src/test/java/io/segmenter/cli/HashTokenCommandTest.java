package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.access.Principal;
import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code segmenter hash-token}: the token-file line for a token on stdin, or for a new one. */
class HashTokenCommandTest {
  static CommandOutcome run(String stdin, String... args) {
    HashTokenCommand command = new HashTokenCommand();
    command.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return CommandOutcome.run(new CommandLine(command), args);
  }

  @Test
  void theTokenOnStdinBecomesALineTheTokenFileAccepts(@TempDir Path dir) throws Exception {
    CommandOutcome o = run("test-token-abcdefgh\n", "--role", "ops", "--name", "grafana");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).isEqualTo("ops grafana sha256:d88ffe6cd43ae784da84a1fdc03ab5d24d9c5eb8839e01dddbcafaec6370d59b"
        + System.lineSeparator());
    assertThat(o.out()).doesNotContain("test-token");

    Path file = Files.writeString(dir.resolve("tokens"), o.out());
    assertThat(TokenFile.load(file, Clock.systemUTC()).authenticate("test-token-abcdefgh")).map(Principal::roles)
        .contains(java.util.Set.of(Role.OPS));
  }

  @Test
  void generatePrintsTheLineAndTheNewTokenOnce(@TempDir Path dir) throws Exception {
    CommandOutcome o = run("", "--role", "reader", "--name", "crm-app", "--generate");
    assertThat(o.code()).as(o.err()).isZero();
    String[] lines = o.out().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("reader crm-app sha256:[0-9a-f]{64}");
    assertThat(lines[1]).matches("token \\(shown once; give it to crm-app\\): [A-Za-z0-9_-]{43}");
    String token = lines[1].substring(lines[1].lastIndexOf(' ') + 1);

    Path file = Files.writeString(dir.resolve("tokens"), lines[0] + "\n");
    assertThat(TokenFile.load(file, Clock.systemUTC()).authenticate(token)).map(Principal::name).contains("crm-app");
    assertThat(run("", "--role", "reader", "--name", "crm-app", "--generate").out()).as("random each time")
        .doesNotContain(token);
  }

  @Test
  void badInputExitsTwoWithoutEchoingTheToken() {
    CommandOutcome empty = run("\n", "--role", "ops", "--name", "grafana");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("no token on stdin: pipe one in, or use --generate");

    CommandOutcome shortToken = run("secret123\n", "--role", "ops", "--name", "grafana");
    assertThat(shortToken.code()).isEqualTo(2);
    assertThat(shortToken.err()).contains("at least 16 characters").doesNotContain("secret123");

    CommandOutcome badName = run("test-token-abcdefgh", "--role", "ops", "--name", "crm app");
    assertThat(badName.code()).isEqualTo(2);
    assertThat(badName.err()).contains("one word");

    CommandOutcome peer = run("test-token-abcdefgh", "--role", "peer", "--name", "x");
    assertThat(peer.code()).isEqualTo(2);
    assertThat(peer.err()).contains("--role");
    assertThat(peer.out()).isEmpty();
  }

  @Test
  void theCommandIsPartOfTheCommandLine() {
    CommandOutcome help = CommandOutcome.service("hash-token", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: segmenter hash-token").contains("--role", "--name", "--generate", "stdin");
    assertThat(CommandOutcome.service("--help").out()).contains("hash-token");
  }
}
