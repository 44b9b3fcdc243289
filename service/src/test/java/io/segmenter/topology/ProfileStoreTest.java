package io.segmenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The profiles store's memory of decoded profiles, over a real in-memory store of Kafka Streams. */
class ProfileStoreTest {
  private final KeyValueStore<String, byte[]> store = InMemoryStores.keyValue(SegmenterTopology.PROFILES_STORE, Serdes.String(), Serdes.ByteArray());

  @Test
  void aProfileWrittenIsServedFromMemoryAndStoredEncoded() {
    ProfileStore profiles = new ProfileStore(store, StoreWriteHook.NONE, 2);
    CustomerProfile p = CustomerProfile.empty();
    p.setChangeSequence(3);
    profiles.put("a", p);
    assertThat(profiles.get("a")).as("no decode: the object written").isSameAs(p);
    assertThat(ProfileCodec.decode(store.get("a"))).as("the store holds it too").isEqualTo(p);
  }

  @Test
  void theLeastRecentlyUsedGoFirstAndAreDecodedFromTheStore() {
    ProfileStore profiles = new ProfileStore(store, StoreWriteHook.NONE, 2);
    CustomerProfile a = CustomerProfile.empty();
    profiles.put("a", a);
    profiles.put("b", CustomerProfile.empty());
    profiles.put("c", CustomerProfile.empty());
    CustomerProfile again = profiles.get("a");
    assertThat(again).as("forgotten, decoded anew").isNotSameAs(a).isEqualTo(a);
  }

  @Test
  void aDeletedProfileIsGoneFromMemoryToo() {
    ProfileStore profiles = new ProfileStore(store, StoreWriteHook.NONE, 2);
    profiles.put("a", CustomerProfile.empty());
    profiles.delete("a");
    assertThat(profiles.get("a")).isNull();
  }

  @Test
  void withNoMemoryEveryReadDecodes() {
    ProfileStore profiles = new ProfileStore(store, StoreWriteHook.NONE, 0);
    CustomerProfile p = CustomerProfile.empty();
    profiles.put("a", p);
    assertThat(profiles.get("a")).isNotSameAs(p).isEqualTo(p);
  }

  @Test
  void withWriteBehindAProfileIsWrittenAtTheFlushAndServedUntilThenEvenWhenForgotten() {
    WriteBehindStore<CustomerProfile> writeBehind = new WriteBehindStore<>(store, ProfileCodec::encode, 10);
    ProfileStore profiles = new ProfileStore(writeBehind, StoreWriteHook.NONE, 1);
    CustomerProfile a = CustomerProfile.empty();
    a.setChangeSequence(1);
    profiles.put("a", a);
    a.setChangeSequence(2);
    profiles.put("a", a);
    profiles.put("b", CustomerProfile.empty()); // the memory of one forgets a

    assertThat(store.get("a")).as("not written before the commit").isNull();
    assertThat(profiles.get("a")).as("forgotten by the memory, served from what waits").isSameAs(a);

    writeBehind.flushCache();

    assertThat(ProfileCodec.decode(store.get("a")).changeSequence()).isEqualTo(2);
    assertThat(store.get("b")).isNotNull();
  }

  @Test
  void withWriteBehindADeletedProfileIsNotWrittenAtTheFlush() {
    WriteBehindStore<CustomerProfile> writeBehind = new WriteBehindStore<>(store, ProfileCodec::encode, 10);
    ProfileStore profiles = new ProfileStore(writeBehind, StoreWriteHook.NONE, 2);
    profiles.put("a", CustomerProfile.empty());
    profiles.delete("a");
    writeBehind.flushCache();
    assertThat(profiles.get("a")).isNull();
    assertThat(store.get("a")).isNull();
  }
}
