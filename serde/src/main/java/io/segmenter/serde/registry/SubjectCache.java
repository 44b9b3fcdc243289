package io.segmenter.serde.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** What the client remembers about one subject. Schema hash codes are cached by Avro, so lookups are cheap. */
final class SubjectCache {
  /** A latest version and when it was fetched, for the TTL. */
  record Latest(RegisteredSchema schema, long fetchedAtNanos) {}

  final ConcurrentHashMap<Schema, Integer> idsBySchema = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Integer, RegisteredSchema> versions = new ConcurrentHashMap<>();
  volatile Latest latest;
  /** Counts this client's registrations, so that a latest fetched while one ran is not kept. */
  final AtomicInteger registrations = new AtomicInteger();
}
