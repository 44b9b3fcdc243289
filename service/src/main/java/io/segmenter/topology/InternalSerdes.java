package io.segmenter.topology;

import io.segmenter.internal.ModelDelta;
import io.segmenter.internal.ModelVersion;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serdes over {@link InternalCodec}, for the model and model-deltas topics: the topology's
 * sinks, and tools and tests that read or write those topics. The topology's own readers do not
 * use the deserializers: they decode the bytes themselves so that a bad record is skipped, not
 * thrown (see {@link GlobalModelProcessor}, {@link ModelAggregatorProcessor}).
 */
public final class InternalSerdes {
  private InternalSerdes() { }

  public static Serde<ModelVersion> modelVersions() {
    return Serdes.serdeFrom((Serializer<ModelVersion>) (topic, v) -> v == null ? null : InternalCodec.encode(v),
        (Deserializer<ModelVersion>) (topic, bytes) -> bytes == null ? null : decode(() -> InternalCodec.decodeVersion(bytes)));
  }

  public static Serde<ModelDelta> modelDeltas() {
    return Serdes.serdeFrom((Serializer<ModelDelta>) (topic, d) -> d == null ? null : InternalCodec.encode(d),
        (Deserializer<ModelDelta>) (topic, bytes) -> bytes == null ? null : decode(() -> InternalCodec.decodeDelta(bytes)));
  }

  private interface Decoding<T> {
    T decode() throws RejectedRecord;
  }

  private static <T> T decode(Decoding<T> decoding) {
    try {
      return decoding.decode();
    } catch (RejectedRecord e) {
      throw new SerializationException(e.reason() + ": " + e.getMessage(), e);
    }
  }
}
