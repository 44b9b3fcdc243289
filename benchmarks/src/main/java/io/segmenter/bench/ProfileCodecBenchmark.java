package io.segmenter.bench;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.profile.RecentIds;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The customer profile's store codec, which runs for every event and every re-evaluation (JFR of
 * ThroughputBenchmark: {@code ProfileCodec.encode} 13 % of the stream threads' samples, half of it
 * the recent event ids). Profiles built from generator-like clicks: sessions, categories and
 * {@code recentIds} de-duplication entries a minute apart (256 is {@code segmenter.dedup.max.ids}'s
 * default, what an active customer carries). Single thread; see README.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.segmenter.events,io.segmenter.internal"})
@Threads(1)
@State(Scope.Thread)
public class ProfileCodecBenchmark {
  private static final int PROFILES = 64;
  private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
  private static final ClickType[] TYPES = {ClickType.PAGE_VIEW, ClickType.PRODUCT_VIEW, ClickType.SEARCH,
      ClickType.ADD_TO_CART};

  /** De-duplication entries per profile. */
  @Param({"16", "256"})
  public int recentIds;

  private CustomerProfile[] profiles;
  private byte[][] encoded;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    ProfileConfig config = ProfileConfig.defaults();
    profiles = new CustomerProfile[PROFILES];
    encoded = new byte[PROFILES][];
    for (int i = 0; i < PROFILES; i++) {
      CustomerProfile p = CustomerProfile.empty();
      for (int e = 0; e < recentIds; e++) {
        long t = T0 + e * 60_000L + random.nextInt(60_000);
        p.apply(ClickEvent.newBuilder().setEventId("e" + e).setCustomerId("c" + i)
            .setSessionId("s" + (e / 20)).setType(TYPES[random.nextInt(TYPES.length)])
            .setCategory("category-" + random.nextInt(12)).setOccurredAt(Instant.ofEpochMilli(t)).build(), config);
        p.recentIds().add(RecentIds.hash("c" + i, ":e" + e), t, 256);
      }
      profiles[i] = p;
      encoded[i] = ProfileCodec.encode(p);
      if (!Arrays.equals(ProfileCodec.encode(ProfileCodec.decode(encoded[i])), encoded[i])) {
        throw new IllegalStateException("profile " + i + " does not survive a round trip");
      }
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (PROFILES - 1);
    return i;
  }

  @Benchmark
  public byte[] encode() {
    return ProfileCodec.encode(profiles[nextIndex()]);
  }

  @Benchmark
  public CustomerProfile decode() {
    return ProfileCodec.decode(encoded[nextIndex()]);
  }
}
