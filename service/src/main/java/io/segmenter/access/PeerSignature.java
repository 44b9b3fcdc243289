package io.segmenter.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a request comes from another instance of the same deployment: an HMAC-SHA256, keyed
 * with a secret every instance reads from the same file (a Kubernetes Secret), over the method, the
 * path and query exactly as sent, and the time. The header value is {@code <epoch seconds>:<base64url
 * HMAC>}.
 *
 * <p>A value is accepted for {@value #MAX_SKEW_SECONDS} s either side of its time, which bounds what a
 * captured value is worth (clocks in one cluster agree to well within that) without a replay cache;
 * the peers' requests are reads, so a replay within that window tells an attacker nothing new. The
 * body is not signed: peers send none.
 */
public final class PeerSignature {
  /** The request header carrying the signature. */
  public static final String HEADER = "X-Segmenter-Peer-Signature";
  public static final int MIN_SECRET_BYTES = 32;
  static final long MAX_SKEW_SECONDS = 30;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Clock clock;

  /** A signer and verifier with this secret; throws IllegalArgumentException when it is shorter than 32 bytes. */
  public PeerSignature(byte[] secret, Clock clock) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the peer secret has " + secret.length + " bytes; it needs at least "
          + MIN_SECRET_BYTES + " random ones (e.g. head -c 32 /dev/urandom | base64)");
    }
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reads the secret from a file: its bytes, less one trailing line break (what {@code echo} or an
   * editor adds; every instance reads the same file, so they agree either way). Throws
   * IllegalArgumentException naming the file, and saying what to fix, when it is missing or short.
   */
  public static PeerSignature fromFile(Path file, Clock clock) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the peer secret (" + e.getClass().getSimpleName() + ")", e);
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') end--;
    if (end > 0 && bytes[end - 1] == '\r') end--;
    byte[] secret = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    try {
      return new PeerSignature(secret, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The header value for a request about to be sent: {@code pathAndQuery} exactly as it goes on the wire. */
  public String sign(String method, String pathAndQuery) {
    long seconds = clock.instant().getEpochSecond();
    return seconds + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(method, pathAndQuery, seconds));
  }

  /**
   * Whether {@code headerValue} signs this method and raw path and query, within 30 s of now. False for
   * anything malformed (null included): never throws, so a caller cannot be made to fail by a header.
   */
  public boolean verify(String method, String pathAndQuery, String headerValue) {
    if (method == null || pathAndQuery == null || headerValue == null) return false;
    try {
      int colon = headerValue.indexOf(':');
      if (colon <= 0) return false;
      long seconds = Long.parseLong(headerValue.substring(0, colon));
      long now = clock.instant().getEpochSecond();
      if (seconds < 0 || Math.abs(now - seconds) > MAX_SKEW_SECONDS) return false;
      byte[] presented = Base64.getUrlDecoder().decode(headerValue.substring(colon + 1));
      return MessageDigest.isEqual(mac(method, pathAndQuery, seconds), presented);
    } catch (IllegalArgumentException e) { // a number or base64 that does not parse
      return false;
    }
  }

  private byte[] mac(String method, String pathAndQuery, long seconds) {
    // A Mac holds state and is not thread-safe; the server calls from many threads. A new one per
    // call costs a few microseconds, on the rare forwarded request; no pool, no thread-local to leak.
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      // Line breaks cannot occur in a method or a request target, so the fields cannot run together.
      String message = method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + seconds;
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}
