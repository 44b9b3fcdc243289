package io.segmenter.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.segmenter.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests between instances, signed with the shared secret: what verifies, what does not, and bad secrets. */
class PeerSignatureTest {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final String PATH = "/customers/c-42?fields=segment";

  final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));
  final PeerSignature peers = new PeerSignature(SECRET, clock);

  @Test
  void aSignatureVerifiesForTheSameMethodPathAndQueryOnly() {
    String header = peers.sign("GET", PATH);
    assertThat(header).matches("1740830400:[A-Za-z0-9_-]{43}");
    assertThat(peers.verify("GET", PATH, header)).isTrue();
    assertThat(peers.verify("get", PATH, header)).as("methods are case-insensitive").isTrue();
    assertThat(peers.verify("HEAD", PATH, header)).isFalse();
    assertThat(peers.verify("GET", "/customers/c-43?fields=segment", header)).isFalse();
    assertThat(peers.verify("GET", "/customers/c-42", header)).isFalse();
    assertThat(peers.verify("GET", PATH + "&stale=true", header)).isFalse();
  }

  @Test
  void anotherSecretDoesNotVerify() {
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    assertThat(new PeerSignature(other, clock).verify("GET", PATH, peers.sign("GET", PATH))).isFalse();
  }

  @Test
  void aSignatureIsGoodFor30SecondsEitherSide() {
    String header = peers.sign("GET", PATH);
    clock.advance(Duration.ofSeconds(30));
    assertThat(peers.verify("GET", PATH, header)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(peers.verify("GET", PATH, header)).as("31 s old").isFalse();

    // The verifier's clock behind the signer's: the value is from the verifier's future.
    PeerSignature signer = new PeerSignature(SECRET, new ManualClock(Instant.parse("2025-03-01T12:00:00Z")));
    ManualClock behind = new ManualClock(Instant.parse("2025-03-01T11:59:29Z"));
    PeerSignature verifier = new PeerSignature(SECRET, behind);
    assertThat(verifier.verify("GET", PATH, signer.sign("GET", PATH))).as("31 s in the future").isFalse();
    behind.advance(Duration.ofSeconds(1));
    assertThat(verifier.verify("GET", PATH, signer.sign("GET", PATH))).as("30 s in the future").isTrue();
  }

  @Test
  void aTimestampChangedAfterSigningDoesNotVerify() {
    String header = peers.sign("GET", PATH);
    String signature = header.substring(header.indexOf(':'));
    assertThat(peers.verify("GET", PATH, "1740830401" + signature)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", "abc", "1740830400", "1740830400:", ":AAAA", "x:AAAA", "1740830400:***",
      "1740830400:AAAA", "-1:AAAA", "-9223372036854775808:AAAA", "99999999999999999999:AAAA",
      "1740830400:AAAA:BBBB", " 1740830400:AAAA"})
  void malformedValuesAreFalseNotExceptions(String header) {
    assertThat(peers.verify("GET", PATH, header)).isFalse();
  }

  @Test
  void nullsAreFalse() {
    String header = peers.sign("GET", PATH);
    assertThat(peers.verify(null, PATH, header)).isFalse();
    assertThat(peers.verify("GET", null, header)).isFalse();
    assertThat(peers.verify("GET", PATH, null)).isFalse();
  }

  @Test
  void concurrentSignersAndVerifiersAllAgree() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        Callable<Integer> work = () -> {
          int good = 0;
          for (int i = 0; i < 500; i++) {
            String path = "/customers/" + thread + "-" + i;
            if (peers.verify("GET", path, peers.sign("GET", path)) && !peers.verify("GET", path + "x", peers.sign("GET", path))) {
              good++;
            }
          }
          return good;
        };
        results.add(pool.submit(work));
      }
      for (Future<Integer> r : results) assertThat(r.get()).isEqualTo(500);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSecretFileLosesOneTrailingLineBreakAndMustHold32Bytes(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("peer-secret"), (new String(SECRET, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII));
    PeerSignature fromFile = PeerSignature.fromFile(file, clock);
    assertThat(peers.verify("GET", PATH, fromFile.sign("GET", PATH))).isTrue();

    Path crlf = Files.write(dir.resolve("crlf"), (new String(SECRET, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(peers.verify("GET", PATH, PeerSignature.fromFile(crlf, clock).sign("GET", PATH))).isTrue();

    Path tooShort = Files.writeString(dir.resolve("short"), "0123456789abcdef0123456789abcde\n");
    assertThatIllegalArgumentException().isThrownBy(() -> PeerSignature.fromFile(tooShort, clock))
        .withMessage(tooShort + ": the peer secret has 31 bytes; it needs at least 32 random ones"
            + " (e.g. head -c 32 /dev/urandom | base64)");
    Path missing = dir.resolve("missing");
    assertThatIllegalArgumentException().isThrownBy(() -> PeerSignature.fromFile(missing, clock))
        .withMessageStartingWith(missing + ": cannot read the peer secret");
    assertThatIllegalArgumentException().isThrownBy(() -> new PeerSignature(new byte[0], clock))
        .withMessageContaining("has 0 bytes");
  }
}
