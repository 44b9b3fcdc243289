package io.segmenter.evaluation;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.OrderStatus;
import io.segmenter.internal.ModelVersion;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.profile.ProfileEvents;
import io.segmenter.topology.ModelCodec;
import io.segmenter.topology.SeedModels;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The evaluator alone: a profile, an event or a tick, a model and a clock in, a decision out. */
class CustomerEvaluatorTest {
  private static final long NOW = T0 + 30 * DAY;
  private static final EvaluatorSettings SETTINGS = new EvaluatorSettings(ProfileConfig.defaults(), 0.1, 90 * DAY, DAY,
      DAY, 1000, 64, null);

  private static ModelSnapshot model(long version) {
    ModelVersion v = SeedModels.championsAndAtRisk(Instant.ofEpochMilli(NOW));
    v.setVersion(version);
    return ModelCodec.fromAvro(v);
  }

  private static Object order(String id, long at) {
    return ProfileEvents.order(id, OrderStatus.PLACED, "40.00", at, "books");
  }

  @Test
  void aNewCustomerBeforeAnyModelIsListedAsWaitingAndGivesATrainingPoint() {
    Decision d = new CustomerEvaluator(SETTINGS).onEvent(null, order("o-1", NOW), NOW, null, NOW);
    assertThat(d.change()).isNull();
    assertThat(d.moves()).containsExactly(new Decision.Move(MemberLists.NONE, MemberLists.UNASSIGNED));
    assertThat(d.point()).isNotNull();
    assertThat(d.point().centreId()).isEqualTo(-1);
    assertThat(d.point().sampleCap()).isEqualTo(1000);
    assertThat(d.booking()).isEqualTo(NOW + DAY);
    assertThat(d.profile().orders()).isEqualTo(1);
  }

  @Test
  void aWaitingCustomerGetsASegmentOnceAModelIsThereAndLeavesTheWaitingList() {
    CustomerEvaluator evaluator = new CustomerEvaluator(SETTINGS);
    CustomerProfile waiting = evaluator.onEvent(null, order("o-1", NOW), NOW, null, NOW).profile();
    Decision d = evaluator.onTick(waiting, NOW + DAY, model(1), NOW + DAY);
    assertThat(d.change()).isNotNull();
    assertThat(d.change().reason()).isEqualTo(ChangeReason.MODEL);
    assertThat(d.moves()).first().satisfies(m -> assertThat(m.from()).isEqualTo(MemberLists.UNASSIGNED));
    assertThat(d.profile().assignedModelVersion()).isEqualTo(1);
    assertThat(d.profile().changeSequence()).isEqualTo(1);
  }

  @Test
  void aCustomerIsNeverEvaluatedWithAnOlderVersionThanTheOneThatLastAssignedThem() {
    CustomerEvaluator evaluator = new CustomerEvaluator(SETTINGS);
    CustomerProfile assigned = evaluator.onEvent(null, order("o-1", NOW), NOW, model(7), NOW).profile();
    assertThat(assigned.assignedModelVersion()).isEqualTo(7);
    long sequence = assigned.changeSequence();

    // An instance whose global store lags (after a fail-over) still holds version 5.
    Decision d = evaluator.onEvent(assigned, order("o-2", NOW + DAY), NOW + DAY, model(5), NOW + DAY);
    assertThat(d.model()).as("no version used").isNull();
    assertThat(d.change()).isNull();
    assertThat(d.moves()).isEmpty();
    assertThat(d.profile().assignedModelVersion()).isEqualTo(7);
    assertThat(d.profile().changeSequence()).isEqualTo(sequence);
    assertThat(d.profile().orders()).as("the event itself still counts").isEqualTo(2);
  }

  @Test
  void anEventFromTheFutureIsEvaluatedAtItsOwnTimeButItsTrainingPointAtTheTasksClock() {
    long ahead = NOW + 20 * 3_600_000L;
    Decision d = new CustomerEvaluator(SETTINGS).onEvent(null, order("o-1", ahead), ahead, model(1), NOW);
    assertThat(d.now()).isEqualTo(ahead);
    assertThat(d.profile().segmentSince()).isEqualTo(ahead);
    assertThat(d.point().time()).as("the model's event time is not pushed into the future").isEqualTo(NOW);
  }

  @Test
  void aBookingAlreadyInTheNextIntervalIsKeptRatherThanRewritten() {
    CustomerEvaluator evaluator = new CustomerEvaluator(SETTINGS);
    CustomerProfile p = evaluator.onEvent(null, order("o-1", NOW), NOW, model(1), NOW).profile();
    Decision d = evaluator.onEvent(p, order("o-2", NOW + 3_600_000L), NOW + 3_600_000L, model(1), NOW + 3_600_000L);
    assertThat(d.cancelBooking()).isEqualTo(CustomerProfile.NONE);
    assertThat(d.booking()).isEqualTo(CustomerProfile.NONE);
    assertThat(d.profile().nextCheckAt()).isEqualTo(NOW + DAY);
  }
}
