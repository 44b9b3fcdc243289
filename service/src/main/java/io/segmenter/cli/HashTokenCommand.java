package io.segmenter.cli;

import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hash-token}: the line of the token file for a bearer token. The token comes on stdin, not as
 * an argument, so that it stays out of the shell history and the process list; or, with
 * {@code --generate}, a new random one is made and printed once, since only its hash is kept.
 */
@Command(name = "hash-token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {"Print the token-file line (<role> <name> sha256:<hash>) of a bearer token.",
        "The token is read from stdin (so that it stays out of the shell history), or made with --generate and "
            + "then printed once, on the second line: only its hash is kept. See docs/SECURITY.md."},
    footerHeading = UsageExamples.HEADING,
    footer = {"  " + UsageExamples.SERVICE_JAR + " hash-token \\",
        "      --role ops --name alice --generate",
        "  printf '%%s' \"$TOKEN\" | \\",
        "      " + UsageExamples.SERVICE_JAR + " hash-token \\",
        "      --role reader --name crm-app"})
final class HashTokenCommand implements Callable<Integer> {
  /** Roles a token may have: peers authenticate with the peer secret, not a token. */
  enum TokenRole {
    ops(Role.OPS), reader(Role.READER);

    final Role role;

    TokenRole(Role role) {
      this.role = role;
    }
  }

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--role", required = true, paramLabel = "ROLE",
      description = "What the token may do: ${COMPLETION-CANDIDATES} (reader also reads customers).")
  TokenRole role;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "Who holds the token, one word (e.g. crm-app): what the audit log names.")
  String name;

  @Option(names = "--generate",
      description = "Make a new random token (32 bytes, base64url) instead of reading one from stdin (default: read stdin).")
  boolean generate;

  InputStream in = System.in;

  @Override
  public Integer call() throws IOException {
    String token = generate ? TokenFile.newToken(new SecureRandom()) : readToken();
    String line;
    try {
      line = TokenFile.line(role.role, name, token);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    if (generate) out.println("token (shown once; give it to " + name + "): " + token);
    out.flush();
    return 0;
  }

  /** The first line of stdin, without its line break; the token itself is never echoed, not even in errors. */
  private String readToken() throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = all.indexOf('\n');
    String first = (end < 0 ? all : all.substring(0, end)).strip();
    if (first.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no token on stdin: pipe one in, or use --generate");
    }
    return first;
  }
}
