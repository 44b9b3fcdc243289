package io.segmenter.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A customer's key in the model's customer panel: the first 63 bits of SHA-256 over the model's
 * seed and the customer id. Uniform over customers whatever their ids look like, so that the
 * customers with the smallest keys are a uniform sample of them (a bottom-k sample), and the same
 * customers whichever instance, task or order they came through. A pseudonym, not an anonymisation:
 * whoever knows the seed and an id can compute the key, which is why erasure removes the key's
 * point from the panel (docs/PRIVACY.md).
 */
public final class CustomerKey {
  private CustomerKey() { }

  /**
   * One digest per thread: {@code MessageDigest.getInstance} looks the algorithm up in the security
   * providers at every call, and this runs for every training point on the stream threads.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  public static long of(long seed, String customerId) {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    sha.update(ByteBuffer.allocate(8).putLong(seed).array());
    sha.update(customerId.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(sha.digest()).getLong() & Long.MAX_VALUE;
  }
}
