package io.segmenter.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bearer tokens, stored as their SHA-256 hashes: whoever reads the file (or the Secret) learns no
 * token. One entry a line, blank lines and {@code #} comments allowed:
 *
 * <pre>
 * # role   name      hash of the token
 * reader   crm-app   sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * ops      grafana   sha256:...
 * </pre>
 *
 * <p>The role is {@code ops} or {@code reader}; the name is a label for the audit log. Tokens are
 * random (see {@link #newToken}), so a plain SHA-256 is enough: a slow password hash would protect
 * guessable secrets, which these are not, and would cost every request. The same name may appear on
 * two lines, for the old and the new token while a client rotates.
 *
 * <p>The file is re-read when it changes (at most once a second): see {@link ReloadingFile}.
 */
public final class TokenFile {
  /** What {@link #line} accepts as a token: RFC 6750's b64token, at least 16 characters. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]{16,}=*");
  private static final Pattern NAME = Pattern.compile("[^\\s#][^\\s]*");
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9\\-._~+/]+=*) *");
  private static final String FORMAT = "expected '<ops|reader> <name> sha256:<64 hex digits>'";

  private record Entry(Role role, String name, byte[] hash) { }

  private final ReloadingFile<List<Entry>> file;

  private TokenFile(ReloadingFile<List<Entry>> file) {
    this.file = file;
  }

  /**
   * Reads the token file; throws IllegalArgumentException naming the file and the line when it is
   * missing or malformed. {@code clock} paces the look for changes.
   */
  public static TokenFile load(Path path, Clock clock) {
    return new TokenFile(new ReloadingFile<>(path, clock, TokenFile::parse));
  }

  /**
   * The principal whose token this is, or empty. Every entry is compared, each in constant time, so
   * the answer takes as long whichever entry (if any) matches.
   */
  public Optional<Principal> authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) return Optional.empty();
    byte[] presented = sha256(presentedToken);
    Entry found = null;
    for (Entry e : file.current()) {
      if (MessageDigest.isEqual(e.hash(), presented) && found == null) found = e;
    }
    if (found == null) return Optional.empty();
    return Optional.of(new Principal(found.name(), Set.of(found.role()), Principal.Authentication.TOKEN));
  }

  /** Whether the file lists at least one token (now: it may have been rotated to empty). */
  public boolean hasTokens() {
    return !file.current().isEmpty();
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header, or empty for a missing header,
   * another scheme or a value that is not a token.
   */
  public static Optional<String> bearerToken(String authorizationHeader) {
    if (authorizationHeader == null) return Optional.empty();
    var m = BEARER.matcher(authorizationHeader);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The line of the token file for a token: {@code <role> <name> sha256:<hex>}. Refuses (with
   * IllegalArgumentException, quoting neither) a token that is short or could not travel in a Bearer
   * header, a name with white space, and a role other than ops or reader.
   */
  public static String line(Role role, String name, String token) {
    if (role != Role.OPS && role != Role.READER) throw new IllegalArgumentException("the role must be ops or reader");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("the name must be one word (no spaces), not starting with #");
    }
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("a token needs at least 16 characters, all of A-Z a-z 0-9 - . _ ~ + / (= at the end)");
    }
    return role.fileName() + " " + name + " sha256:" + HexFormat.of().formatHex(sha256(token));
  }

  /** A new random token: 32 bytes from {@code random}, base64url without padding (43 characters). */
  public static String newToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static List<Entry> parse(List<String> lines) throws ReloadingFile.BadLine {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] words = line.split("\\s+");
      if (words.length != 3 || !HASH.matcher(words[2]).matches()) throw new ReloadingFile.BadLine(i + 1, FORMAT);
      Role role = Role.ofFileName(words[0]);
      if (role != Role.OPS && role != Role.READER) {
        throw new ReloadingFile.BadLine(i + 1, "the role must be ops or reader (peers use the peer secret)");
      }
      byte[] hash = HexFormat.of().parseHex(words[2].substring("sha256:".length()).toLowerCase(Locale.ROOT));
      for (Entry e : entries) {
        if (MessageDigest.isEqual(e.hash(), hash)) {
          throw new ReloadingFile.BadLine(i + 1, "the same token is listed on an earlier line");
        }
      }
      entries.add(new Entry(role, words[1], hash));
    }
    return List.copyOf(entries);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
