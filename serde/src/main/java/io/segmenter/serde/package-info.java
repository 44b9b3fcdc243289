/**
 * Avro serde in the Confluent wire format: magic byte {@code 0}, the schema's registry id as a
 * 4-byte big-endian int, then the Avro binary body. Byte-compatible with Confluent's
 * KafkaAvroSerializer / KafkaAvroDeserializer, for SpecificRecords and GenericRecords.
 *
 * <ul>
 *   <li>Kafka adapters: {@link io.segmenter.serde.AvroSerializer}, {@link io.segmenter.serde.AvroDeserializer},
 *       {@link io.segmenter.serde.SpecificAvroSerde}, {@link io.segmenter.serde.GenericAvroSerde}.
 *   <li>Settings (Confluent's keys): {@link io.segmenter.serde.AvroSerdeConfig}; subject names:
 *       {@link io.segmenter.serde.SubjectNameStrategy} and its three implementations.
 *   <li>Kafka-free core: {@code AvroWireEncoder} / {@code AvroWireDecoder} (caches of ids, writers and
 *       resolving readers; per-thread buffers), {@link io.segmenter.serde.WireFormat} (the header).
 *   <li>Every failure is an {@link io.segmenter.serde.AvroSerdeException} with a
 *       {@link io.segmenter.serde.AvroSerdeException.Reason}.
 * </ul>
 *
 * <p>Record contents are never logged, nor quoted in exception messages.
 */
package io.segmenter.serde;
