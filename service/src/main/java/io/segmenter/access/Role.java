package io.segmenter.access;

import java.util.Locale;

/**
 * What a caller of the operations server may do. The roles nest only where the issue says so: a
 * reader may do everything ops may, plus read customers; a peer is another instance of the same
 * deployment and may do only what instances need of each other (internal endpoints, forwarded
 * customer reads), not read metrics or the model on its own account.
 */
public enum Role {
  /** Health, metrics, /segments, /model. */
  OPS,
  /** Everything {@link #OPS} may, plus /customers/{id}. */
  READER,
  /** Another instance of the same deployment: internal endpoints and forwarded customer reads. */
  PEER;

  /** Whether a caller holding this role may do what {@code needed} is required for. */
  public boolean grants(Role needed) {
    return this == needed || (this == READER && needed == OPS);
  }

  /** The role as written in the token and certificate files: {@code ops}, {@code reader}, {@code peer}. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named by a file's first column (case-insensitive), or null when it names none. */
  static Role ofFileName(String word) {
    for (Role r : values()) {
      if (r.fileName().equalsIgnoreCase(word)) return r;
    }
    return null;
  }
}
