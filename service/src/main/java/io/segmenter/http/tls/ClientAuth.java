package io.segmenter.http.tls;

/** Whether a TLS server asks its clients for a certificate (mutual TLS). */
public enum ClientAuth {
  /** No client certificate is asked for. */
  NONE,
  /** A client certificate is asked for; a client without one is still served (anonymously). */
  WANT,
  /** A client without a certificate from a trusted authority fails the handshake. */
  NEED
}
