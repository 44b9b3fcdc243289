package io.segmenter.bench;

import io.segmenter.embedded.EmbeddedSchemaRegistry;
import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.serde.SpecificAvroSerde;
import io.segmenter.serde.registry.CachedSchemaRegistryClient;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ClickEvent throughput of the project's Confluent-format serde against a warmed embedded registry,
 * beside a baseline of plain Avro binary encoding and decoding of the same records (no header, no
 * registry, no caches): serde / baseline is the serde's overhead. Single thread. See README.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    // The baseline's plain SpecificDatumReader needs the generated package trusted; the serde
    // trusts the class it is given by itself.
    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.segmenter.events,io.segmenter.internal"})
@Threads(1)
@State(Scope.Thread)
public class SerdeBenchmark {
  private static final String TOPIC = "clicks";
  /** Distinct records, cycled, so that nothing is constant-folded and caches see realistic data. */
  private static final int RECORDS = 1024;

  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;
  private SpecificAvroSerde<ClickEvent> serde;
  private Serializer<ClickEvent> serializer;
  private Deserializer<ClickEvent> deserializer;

  private ClickEvent[] records;
  private byte[][] wirePayloads;
  private byte[][] avroBodies;
  private int next;

  private SpecificDatumWriter<ClickEvent> plainWriter;
  private SpecificDatumReader<ClickEvent> plainReader;
  private ByteArrayOutputStream plainOut;
  private BinaryEncoder plainEncoder;
  private BinaryDecoder plainDecoder;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    registry = EmbeddedSchemaRegistry.start();
    client = CachedSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", registry.url()));
    serde = new SpecificAvroSerde<>(ClickEvent.class, client);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    serializer = serde.serializer();
    deserializer = serde.deserializer();

    plainWriter = new SpecificDatumWriter<>(ClickEvent.class);
    plainReader = new SpecificDatumReader<>(ClickEvent.class);
    plainOut = new ByteArrayOutputStream(512);

    Random random = new Random(42);
    records = new ClickEvent[RECORDS];
    wirePayloads = new byte[RECORDS][];
    avroBodies = new byte[RECORDS][];
    for (int i = 0; i < RECORDS; i++) {
      records[i] = click(random, i);
      wirePayloads[i] = serializer.serialize(TOPIC, records[i]); // registers once, warms every cache
      avroBodies[i] = Arrays.copyOfRange(wirePayloads[i], 5, wirePayloads[i].length);
      if (!records[i].equals(deserializer.deserialize(TOPIC, wirePayloads[i]))) {
        throw new IllegalStateException("serde round trip changed record " + i);
      }
    }
    registry.resetRequestCount();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long requests = registry.requestCount();
    serde.close();
    client.close();
    registry.close();
    if (requests != 0) {
      throw new IllegalStateException(requests + " registry requests on the hot path: the caches do not work");
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (RECORDS - 1);
    return i;
  }

  /** Record to Confluent wire-format bytes through the Kafka Serializer. */
  @Benchmark
  public byte[] serdeSerialize() {
    return serializer.serialize(TOPIC, records[nextIndex()]);
  }

  /** Confluent wire-format bytes to a ClickEvent through the Kafka Deserializer. */
  @Benchmark
  public ClickEvent serdeDeserialize() {
    return deserializer.deserialize(TOPIC, wirePayloads[nextIndex()]);
  }

  /** Baseline: plain Avro binary encoding of the same record, reused stream and encoder. */
  @Benchmark
  public byte[] avroEncodeBaseline() throws IOException {
    plainOut.reset();
    plainEncoder = EncoderFactory.get().binaryEncoder(plainOut, plainEncoder);
    plainWriter.write(records[nextIndex()], plainEncoder);
    plainEncoder.flush();
    return plainOut.toByteArray();
  }

  /** Baseline: plain Avro binary decoding of the same body, reused decoder. */
  @Benchmark
  public ClickEvent avroDecodeBaseline() throws IOException {
    byte[] body = avroBodies[nextIndex()];
    plainDecoder = DecoderFactory.get().binaryDecoder(body, 0, body.length, plainDecoder);
    return plainReader.read(null, plainDecoder);
  }

  private static final ClickType[] TYPES = {ClickType.PAGE_VIEW, ClickType.PRODUCT_VIEW, ClickType.SEARCH,
      ClickType.ADD_TO_CART, ClickType.REMOVE_FROM_CART, ClickType.CHECKOUT_START};
  private static final String[] CATEGORIES = {"electronics.smartphone", "home.kitchen", "fashion.shoes",
      "books.fiction", "garden.tools"};
  private static final String[] DEVICES = {"desktop", "mobile", "tablet"};

  private static ClickEvent click(Random random, int i) {
    boolean product = random.nextInt(3) != 0;
    return ClickEvent.newBuilder()
        .setEventId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setCustomerId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setSessionId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setType(TYPES[random.nextInt(TYPES.length)])
        .setProductId(product ? "sku-" + (100_000 + random.nextInt(900_000)) : null)
        .setCategory(CATEGORIES[random.nextInt(CATEGORIES.length)])
        .setPrice(product ? BigDecimal.valueOf(99 + random.nextInt(99_900), 2).setScale(4) : null)
        .setChannel(random.nextBoolean() ? "web" : "app")
        .setDevice(DEVICES[random.nextInt(DEVICES.length)])
        .setOccurredAt(Instant.parse("2026-11-01T10:00:00Z").plusMillis(37L * i))
        .build();
  }
}
