package io.segmenter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.testing.avro.Click;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A class passed to the serde is trusted by Avro without any system property. */
@Timeout(30)
class AvroClassTrustTest {

  @Test
  void passingTheClassTrustsItsPackageIdempotentlyAndKeepsThePreviousRules() throws Exception {
    assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).doesNotContain("io.segmenter.serde");
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(TrustProbe.class))
        .as("nothing else in this JVM trusts the probe's package").isFalse();
    InMemoryRegistryClient registry = new InMemoryRegistryClient();
    byte[] bytes = new AvroSerializer<TrustProbe>(registry).serialize("probes", new TrustProbe("hello"));

    // Without trust, Avro's own reader refuses to instantiate the class: the check is real.
    SpecificDatumReader<TrustProbe> plain = new SpecificDatumReader<>(TrustProbe.SCHEMA$, TrustProbe.SCHEMA$,
        new SpecificData());
    assertThatThrownBy(() -> plain.read(null,
        DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null)))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("io.segmenter.serde.TrustProbe");

    // Several serdes built at once: trusted once, no error, one composite installed.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<AvroDeserializer<TrustProbe>>> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      made.add(pool.submit(() -> {
        start.await();
        return new AvroDeserializer<>(TrustProbe.class, registry);
      }));
    }
    start.countDown();
    List<AvroDeserializer<TrustProbe>> deserializers = new ArrayList<>();
    for (Future<AvroDeserializer<TrustProbe>> f : made) {
      deserializers.add(f.get());
    }
    pool.shutdown();
    ClassSecurityValidator.ClassSecurityPredicate installed = ClassSecurityValidator.getGlobal();

    for (AvroDeserializer<TrustProbe> deserializer : deserializers) {
      assertThat(deserializer.deserialize("probes", bytes).getLabel()).isEqualTo("hello");
    }
    new SpecificAvroSerde<>(TrustProbe.class, registry).close();
    assertThat(ClassSecurityValidator.getGlobal()).as("idempotent: not wrapped again").isSameAs(installed);
    assertThat(installed.isTrusted(TrustProbe.class)).isTrue();
    assertThat(installed.isTrusted(Click.class)).as("system-property rules kept").isTrue();
    assertThat(installed.isTrusted(java.util.HashMap.class)).as("nothing else opened").isFalse();
  }
}
