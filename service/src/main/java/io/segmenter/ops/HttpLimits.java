package io.segmenter.ops;

import java.time.Duration;

/**
 * The operations server's limits: what one client, or many, can take from it.
 *
 * @param readTimeout a connection must deliver a complete request head within this time of being
 *     opened or of its previous answer, else it is closed (slow clients that dribble bytes included:
 *     Jetty's idle timeout alone restarts with every byte)
 * @param apiThreads threads that answer the API (everything but health): reads of the local store,
 *     metrics scrapes, JSON writing. Health is answered on the server's own threads, never queued
 *     behind the API
 * @param apiInFlight API requests accepted at once (queued, running, or waiting for a peer); one
 *     more is answered 503 with Retry-After
 * @param maxRequestHeadBytes the request line and headers together; a longer URI is answered 414,
 *     longer headers 431
 * @param maxBodyBytes every endpoint is GET or HEAD: a request announcing a longer body is answered
 *     413 and its connection closed
 * @param maxCustomerIdLength a longer id in /customers/{id} is answered 400 before any lookup
 */
public record HttpLimits(Duration readTimeout, int apiThreads, int apiInFlight, int maxRequestHeadBytes,
    long maxBodyBytes, int maxCustomerIdLength) {

  public static final int DEFAULT_CUSTOMER_ID_LENGTH = 256;

  public HttpLimits {
    if (readTimeout.isNegative() || readTimeout.isZero()) throw new IllegalArgumentException("readTimeout must be > 0");
    if (apiThreads < 1 || apiInFlight < apiThreads) {
      throw new IllegalArgumentException("need apiThreads >= 1 and apiInFlight >= apiThreads");
    }
  }

  /** The defaults of the segmenter.http.* settings. */
  public static HttpLimits defaults() {
    return new HttpLimits(Duration.ofSeconds(10), 4, 256, 8 * 1024, 64 * 1024, DEFAULT_CUSTOMER_ID_LENGTH);
  }

  public HttpLimits withReadTimeout(Duration timeout) {
    return new HttpLimits(timeout, apiThreads, apiInFlight, maxRequestHeadBytes, maxBodyBytes, maxCustomerIdLength);
  }

  public HttpLimits withApi(int threads, int inFlight) {
    return new HttpLimits(readTimeout, threads, inFlight, maxRequestHeadBytes, maxBodyBytes, maxCustomerIdLength);
  }
}
