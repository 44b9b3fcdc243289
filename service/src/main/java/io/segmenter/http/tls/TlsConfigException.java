package io.segmenter.http.tls;

/** TLS files that cannot be used; the message names the file and what to fix. */
public final class TlsConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TlsConfigException(String message) {
    super(message);
  }

  public TlsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
