package io.segmenter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.evaluation.EvaluatorSettings;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The map's sample over profiles encoded as the store holds them (the real codec; the store's own
 * iteration is Kafka Streams', read in {@link SegmentMap}).
 */
class MapSampleTest {
  private static final long NOW = Instant.parse("2026-12-05T12:00:00Z").toEpochMilli();
  private static final EvaluatorSettings SETTINGS = new SegmenterConfig(Map.of(
      SegmenterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"))
      .evaluatorSettings();
  private final ModelSnapshot model = TestModels.model(7, new double[Features.DIMENSION], 1_000L);

  /** 1,200 customers with 0 to 11 orders; those with 5 or more held in segment 1, customer 0 in no segment. */
  private static List<KeyValue<String, byte[]>> store() {
    List<KeyValue<String, byte[]>> out = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      CustomerProfile p = CustomerProfile.empty();
      for (int o = 0; o < i % 12; o++) {
        p.apply(OrderEvent.newBuilder().setOrderId("o" + o).setCustomerId("c-" + i).setStatus(OrderStatus.PLACED)
            .setAmount(new BigDecimal("25.0000")).setCurrency("EUR").setItemCount(1).setCategories(List.of())
            .setOccurredAt(Instant.ofEpochMilli(NOW - (o + 1) * 86_400_000L)).build(), SETTINGS.profile());
      }
      p.setSegmentId(i == 0 ? CustomerProfile.NO_SEGMENT : i % 12 >= 5 ? 1 : 4);
      out.add(KeyValue.pair("c-" + i, ProfileCodec.encode(p)));
    }
    return out;
  }

  @Test
  void atMost500CustomersEvaluatedAtTheGivenClockInTheSegmentTheServiceHoldsThemIn() {
    List<KeyValue<String, byte[]>> store = store();
    ToLongFunction<CustomerProfile> clock = p -> NOW;
    MapSample sample = MapSample.take(store.iterator(), model, SETTINGS, clock, MapSample.SIZE, 11, NOW);
    assertThat(sample.customers()).isEqualTo(1_200);
    assertThat(sample.sampled()).hasSize(500);
    assertThat(sample.modelVersion()).isEqualTo(7);
    assertThat(sample.unavailable()).isNull();
    assertThat(sample.sampled()).extracting(MapSample.Customer::segment).containsOnly(1, 4);
    long heldInLoyal = sample.sampled().stream().filter(c -> c.segment() == 1).count();
    assertThat(heldInLoyal).as("7 of every 12 customers are held in segment 1: about 292 of 500").isBetween(240L, 340L);

    // Each point is the customer's standardised features at the clock given, as /customers/{id} computes them.
    java.util.Set<String> atNow = new java.util.HashSet<>();
    for (KeyValue<String, byte[]> kv : store) {
      atNow.add(java.util.Arrays.toString(model.standardise(Features.of(ProfileCodec.decode(kv.value), NOW, SETTINGS.profile()))));
    }
    assertThat(sample.sampled()).allSatisfy(c -> assertThat(atNow).contains(java.util.Arrays.toString(c.z())));
    MapSample monthLater = MapSample.take(store.iterator(), model, SETTINGS, p -> NOW + 30 * 86_400_000L, MapSample.SIZE,
        11, NOW);
    assertThat(monthLater.sampled()).anySatisfy(c -> assertThat(atNow).doesNotContain(java.util.Arrays.toString(c.z())));
  }

  @Test
  void aCustomerWithoutASegmentOfThisVersionIsDrawnInTheNearestCentre() {
    CustomerProfile none = CustomerProfile.empty();
    CustomerProfile gone = CustomerProfile.empty();
    gone.setSegmentId(9); // re-seeded away: not a centre of this version
    CustomerProfile held = CustomerProfile.empty();
    held.setSegmentId(0); // the far centre: held there (hysteresis), though another centre is nearer
    List<KeyValue<String, byte[]>> store = List.of(KeyValue.pair("a", ProfileCodec.encode(none)),
        KeyValue.pair("b", ProfileCodec.encode(gone)), KeyValue.pair("c", ProfileCodec.encode(held)));
    MapSample sample = MapSample.take(store.iterator(), model, SETTINGS, p -> NOW, MapSample.SIZE, 3, NOW);
    int nearest = model.kmeans().nearest(model.standardise(Features.of(none, NOW, SETTINGS.profile()))).centreId();
    assertThat(nearest).isNotZero();
    assertThat(sample.sampled()).extracting(MapSample.Customer::segment).containsExactlyInAnyOrder(nearest, nearest, 0);
  }

  @Test
  void theSameProfilesInAnotherOrderGiveTheSameSample() {
    List<KeyValue<String, byte[]>> store = store();
    MapSample a = MapSample.take(store.iterator(), model, SETTINGS, p -> NOW, 100, 5, NOW);
    Collections.shuffle(store, new java.util.Random(1));
    MapSample b = MapSample.take(store.iterator(), model, SETTINGS, p -> NOW, 100, 5, NOW);
    assertThat(b.sampled()).extracting(c -> java.util.Arrays.toString(c.z()))
        .isEqualTo(a.sampled().stream().map(c -> java.util.Arrays.toString(c.z())).toList());
  }
}
