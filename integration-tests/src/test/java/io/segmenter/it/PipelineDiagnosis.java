package io.segmenter.it;

import io.segmenter.generator.Persona;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.topology.SegmenterTopology;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the application's own stores say about customers a test expected to be assigned: turns "N
 * customers have no segment" into figures a developer can act on (persona, profile, due entry).
 */
final class PipelineDiagnosis {
  private PipelineDiagnosis() { }

  /** The dead-letter records grouped by the reason Kafka Streams put in their headers. */
  static String deadLetters(String bootstrapServers, String topic) {
    try (TopicReader<byte[]> reader = new TopicReader<>(bootstrapServers, topic,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      Map<String, Long> reasons = new TreeMap<>();
      reader.readToEnd(java.time.Duration.ofSeconds(20)).forEach(r -> {
        StringBuilder why = new StringBuilder();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
          if (h.key().contains("exception") && !h.key().contains("stacktrace")) {
            String v = new String(h.value(), StandardCharsets.UTF_8);
            why.append(v, 0, Math.min(v.length(), 200)).append(' ');
          }
        }
        reasons.merge(why.toString(), 1L, Long::sum);
      });
      return "dead letters on " + topic + ": " + reasons + "\n";
    } catch (RuntimeException e) {
      return "dead letters unreadable: " + e + "\n";
    }
  }

  static String describe(KafkaStreams streams, Set<String> missing, Map<String, Persona> truth) {
    StringBuilder out = new StringBuilder();
    Map<Persona, Long> personas = missing.stream()
        .collect(Collectors.groupingBy(truth::get, TreeMap::new, Collectors.counting()));
    out.append("personas of the unassigned: ").append(personas).append('\n');
    out.append("state: ").append(streams.state()).append('\n');
    // Per task: where it stands against its input, and whether Kafka Streams considers it idling.
    streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(t -> out
        .append(thread.threadName().replaceAll(".*-(StreamThread-\\d+)", "$1")).append(' ').append(t.taskId())
        .append(" committed=").append(t.committedOffsets()).append(" end=").append(t.endOffsets())
        .append(" idlingSince=").append(t.timeCurrentIdlingStarted()).append('\n')));
    try {
      ReadOnlyKeyValueStore<String, byte[]> profiles = streams.store(StoreQueryParameters.fromNameAndType(
          SegmenterTopology.PROFILES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
      ReadOnlyKeyValueStore<Bytes, byte[]> due = streams.store(StoreQueryParameters.fromNameAndType(
          SegmenterTopology.DUE_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
      Map<String, Long> dueAt = new HashMap<>();
      try (KeyValueIterator<Bytes, byte[]> it = due.all()) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          byte[] k = kv.key.get();
          dueAt.put(new String(k, 8, k.length - 8, StandardCharsets.UTF_8), ByteBuffer.wrap(k, 0, 8).getLong());
        }
      }
      out.append("due-index entries: ").append(dueAt.size()).append('\n');
      missing.stream().sorted().limit(10).forEach(id -> {
        byte[] b = profiles.get(id);
        CustomerProfile p = b == null ? null : ProfileCodec.decode(b);
        out.append(id).append(' ').append(truth.get(id)).append(": ");
        if (p == null) {
          out.append("no profile");
        } else {
          out.append("segment=").append(p.segmentId()).append(" assignedModel=").append(p.assignedModelVersion())
              .append(" changes=").append(p.changeSequence()).append(" lastEvent=").append(p.lastEventAt())
              .append(" nextCheckAt=").append(p.nextCheckAt()).append(" lastSampled=").append(p.lastSampledAt());
        }
        out.append(" dueAt=").append(dueAt.get(id)).append('\n');
      });
    } catch (RuntimeException e) {
      out.append("stores not queryable: ").append(e).append('\n');
    }
    return out.toString();
  }
}
