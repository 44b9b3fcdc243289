package io.segmenter.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymiserTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210-other-key".getBytes(StandardCharsets.US_ASCII);

  @Test
  void isHmacSha256InBase64urlWithItsPrefix() {
    // RFC 4231, test case 6: a 131-byte key of 0xaa.
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    byte[] mac = HexFormat.of().parseHex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    assertThat(Pseudonymiser.hmac(key).pseudonymise("Test Using Larger Than Block-Size Key - Hash Key First"))
        .isEqualTo("p1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
  }

  @Test
  void aPseudonymIsStablePrintableAndTheSameForTheSameKey() {
    String once = Pseudonymiser.hmac(KEY).pseudonymise("customer-42");
    assertThat(Pseudonymiser.hmac(KEY.clone()).pseudonymise("customer-42")).isEqualTo(once);
    assertThat(once).startsWith(Pseudonymiser.PREFIX).hasSize(3 + 43).matches("p1:[A-Za-z0-9_-]{43}");
    assertThat(Pseudonymiser.hmac(KEY).pseudonymise("ünïcødé-ид")).matches("p1:[A-Za-z0-9_-]{43}");
  }

  @Test
  void anotherKeyGivesOtherPseudonyms() {
    assertThat(Pseudonymiser.hmac(OTHER_KEY).pseudonymise("customer-42"))
        .isNotEqualTo(Pseudonymiser.hmac(KEY).pseudonymise("customer-42"));
  }

  @Test
  void differentIdsGetDifferentPseudonymsAndNoneContainsTheId() {
    Pseudonymiser p = Pseudonymiser.hmac(KEY);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String id = "c-" + i;
      String pseudonym = p.pseudonymise(id);
      assertThat(pseudonym).doesNotContain(id);
      seen.add(pseudonym);
    }
    assertThat(seen).hasSize(20_000);
    // Ids that differ only in case or by a prefix: distinct too.
    assertThat(p.pseudonymise("c-1")).isNotEqualTo(p.pseudonymise("C-1")).isNotEqualTo(p.pseudonymise("c-10"));
  }

  @Test
  void theIdentityKeepsIdsAsTheyAre() {
    assertThat(Pseudonymiser.identity().enabled()).isFalse();
    assertThat(Pseudonymiser.identity().pseudonymise("customer-42")).isEqualTo("customer-42");
    assertThat(Pseudonymiser.identity().keyFingerprint()).isEmpty();
    assertThat(Pseudonymiser.hmac(KEY).enabled()).isTrue();
  }

  @Test
  void manyThreadsSharingOneInstanceGetWhatOneThreadGets() throws Exception {
    Pseudonymiser shared = Pseudonymiser.hmac(KEY);
    Pseudonymiser reference = Pseudonymiser.hmac(KEY);
    int threads = 8;
    int ids = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          start.await();
          List<String> out = new ArrayList<>(ids);
          // Each thread walks the ids from another start, so the threads hash different ids at once.
          for (int i = 0; i < ids; i++) out.add(shared.pseudonymise("c-" + (i + offset * 613) % ids));
          return out;
        }));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        List<String> got = results.get(t).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < ids; i++) {
          assertThat(got.get(i)).isEqualTo(reference.pseudonymise("c-" + (i + t * 613) % ids));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theKeyFileIsReadRawWithTrailingLineBreaksIgnored(@TempDir Path dir) throws Exception {
    Path plain = Files.write(dir.resolve("plain"), KEY);
    Path newline = Files.write(dir.resolve("newline"), (new String(KEY, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII));
    Path crlf = Files.write(dir.resolve("crlf"), (new String(KEY, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    String expected = Pseudonymiser.hmac(KEY).pseudonymise("customer-42");
    for (Path file : List.of(plain, newline, crlf)) {
      Pseudonymiser p = Pseudonymiser.fromKeyFile(file);
      assertThat(p.enabled()).isTrue();
      assertThat(p.pseudonymise("customer-42")).as(file.getFileName().toString()).isEqualTo(expected);
    }
    // Binary keys are taken as they are.
    byte[] binary = new byte[32];
    for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i * 37 + 1);
    assertThat(Pseudonymiser.fromKeyFile(Files.write(dir.resolve("binary"), binary)).pseudonymise("x"))
        .isEqualTo(Pseudonymiser.hmac(binary).pseudonymise("x"));
  }

  @Test
  void aShortKeyFileFailsWithWhatToDoAndWithoutTheKey(@TempDir Path dir) throws Exception {
    String secret = "only-thirty-one-bytes-of-secret"; // 31 bytes, and a newline that does not count
    Path shortKey = Files.writeString(dir.resolve("short"), secret + "\n");
    assertThatThrownBy(() -> Pseudonymiser.fromKeyFile(shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 31 bytes")
        .hasMessageContaining("at least 32")
        .hasMessageContaining("openssl rand")
        .message().doesNotContain(secret);
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertThatThrownBy(() -> Pseudonymiser.fromKeyFile(empty)).hasMessageContaining("holds 0 bytes");
    assertThatThrownBy(() -> Pseudonymiser.hmac(new byte[31])).hasMessageContaining("at least 32");
  }

  @Test
  void aMissingOrUnreadableKeyFileFailsWithWhatToDo(@TempDir Path dir) {
    assertThatThrownBy(() -> Pseudonymiser.fromKeyFile(dir.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("mount the Secret");
    assertThatThrownBy(() -> Pseudonymiser.fromKeyFile(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void theFingerprintTellsKeysApartAndNothingShowsTheKey() {
    Pseudonymiser p = Pseudonymiser.hmac(KEY);
    assertThat(p.keyFingerprint()).matches("[0-9a-f]{8}").isEqualTo(Pseudonymiser.hmac(KEY).keyFingerprint())
        .isNotEqualTo(Pseudonymiser.hmac(OTHER_KEY).keyFingerprint());
    assertThat(p.toString()).contains(p.keyFingerprint()).doesNotContain("0123456789abcdef");
    assertThat(Pseudonymiser.identity().toString()).isEqualTo("Pseudonymiser[off]");
  }
}
