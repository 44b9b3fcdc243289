package io.segmenter.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the topology calls a customer: the raw id of the input, or, for deployments that must not
 * hold raw ids, a keyed pseudonym of it. The pseudonym is {@code "p1:"} followed by the HMAC-SHA256
 * of the id's UTF-8 bytes under the key, in base64url without padding (3 + 43 characters): stable
 * for a key, different for another key, and not computable from the id without the key (a plain
 * hash of an id could be reversed by hashing every plausible id). "p1" names this scheme, so that
 * a pseudonym is never mistaken for a raw id, and a later scheme can get another prefix.
 *
 * <p>Thread-safe: {@link Mac} is not, so each thread keeps its own, initialised once with the key
 * (the stream threads and the HTTP server's threads call this concurrently). {@link #toString()}
 * never shows the key; nothing here logs.
 */
public final class Pseudonymiser {
  /** The prefix of every pseudonym of this scheme. */
  public static final String PREFIX = "p1:";
  /** HMAC-SHA256's block is 64 bytes and its output 32: a shorter key would be the weakest link. */
  public static final int MIN_KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pseudonymiser IDENTITY = new Pseudonymiser(null);

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private Pseudonymiser(byte[] key) {
    this.key = key == null ? null : new SecretKeySpec(key, ALGORITHM);
    this.macs = key == null ? null : ThreadLocal.withInitial(this::newMac);
  }

  /** Raw ids as they are: the option is off. */
  public static Pseudonymiser identity() {
    return IDENTITY;
  }

  /** HMAC-SHA256 pseudonyms under the key (at least {@link #MIN_KEY_BYTES} bytes; the array is copied). */
  public static Pseudonymiser hmac(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the pseudonymisation key has " + (key == null ? 0 : key.length)
          + " bytes; it needs at least " + MIN_KEY_BYTES + " random bytes");
    }
    Pseudonymiser p = new Pseudonymiser(key); // SecretKeySpec keeps its own copy
    p.pseudonymise(""); // fails here, at start-up, if the JVM lacks HmacSHA256
    return p;
  }

  /**
   * The key from a file, such as a mounted Kubernetes Secret: the file's raw bytes, with trailing
   * line breaks removed (a Secret made from a file written by {@code echo} ends with one).
   *
   * @throws IllegalArgumentException naming the problem and what to do (never the key's content)
   */
  public static Pseudonymiser fromKeyFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the pseudonymisation key file does not exist: mount the Secret there, "
          + "or leave the setting empty to keep raw customer ids");
    } catch (IOException e) {
      throw new IllegalArgumentException("the pseudonymisation key file cannot be read (" + e.getClass().getSimpleName()
          + "): it must be a readable regular file");
    }
    int length = bytes.length;
    while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) length--;
    byte[] key = Arrays.copyOf(bytes, length);
    Arrays.fill(bytes, (byte) 0);
    try {
      if (key.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException("the pseudonymisation key file holds " + key.length + " bytes (trailing line "
            + "breaks not counted); it needs at least " + MIN_KEY_BYTES + " random bytes, e.g. the output of "
            + "'openssl rand -base64 48'");
      }
      return hmac(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Whether ids are pseudonymised (false: {@link #pseudonymise} returns the id itself). */
  public boolean enabled() {
    return key != null;
  }

  /** The id the topology keeps for this raw customer id. */
  public String pseudonymise(String customerId) {
    if (key == null) return customerId;
    Mac mac = macs.get();
    byte[] digest = mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8));
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  /**
   * Eight hex digits that tell two keys apart without revealing either (the HMAC of a fixed label):
   * safe to log at start-up, so that operators can check that every instance has the same key.
   * Empty when the option is off.
   */
  public String keyFingerprint() {
    if (key == null) return "";
    // A label no customer id can be (ids with control characters are rejected at the edge).
    byte[] d = macs.get().doFinal("\u0000segmenter key fingerprint".getBytes(StandardCharsets.UTF_8));
    return String.format("%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return key == null ? "Pseudonymiser[off]" : "Pseudonymiser[HMAC-SHA256, key " + keyFingerprint() + "]";
  }
}
