package io.segmenter.ops;

import static io.segmenter.profile.ProfileEvents.DAY;
import static io.segmenter.profile.ProfileEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmenter.events.ClickType;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.profile.ProfileConfig;
import io.segmenter.profile.ProfileEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplicationClockTest {
  /** The wall clock of a live deployment, far after the replayed history of T0. */
  private static final long WALL = T0 + 300 * DAY;

  private static ModelSnapshot modelAt(long version, long createdAt) {
    return TestModels.model(version, new double[Features.DIMENSION], createdAt);
  }

  private static CustomerProfile lastSeenAt(long at) {
    return ProfileEvents.profileOf(List.of(ProfileEvents.click("s", ClickType.PAGE_VIEW, at)), ProfileConfig.defaults());
  }

  @Test
  void hybridFollowsTheModelTimePlusWallTimeElapsedSinceItAdvanced() {
    ApplicationClock clock = new ApplicationClock(true);
    assertThat(clock.now(null, WALL)).isEqualTo(CustomerProfile.NONE);

    ModelSnapshot v1 = modelAt(1, T0 + 10 * DAY);
    clock.observe(v1, WALL);
    assertThat(clock.now(v1, WALL)).isEqualTo(T0 + 10 * DAY);
    assertThat(clock.now(v1, WALL + 5_000)).isEqualTo(T0 + 10 * DAY + 5_000);

    ModelSnapshot v2 = modelAt(2, T0 + 11 * DAY);
    assertThat(clock.now(v2, WALL + 8_000)).isEqualTo(T0 + 11 * DAY);
    assertThat(clock.now(v2, WALL + 9_000)).isEqualTo(T0 + 11 * DAY + 1_000);
    // An older model time (e.g. a stale holder) never moves the clock back.
    assertThat(clock.now(v1, WALL + 10_000)).isEqualTo(T0 + 11 * DAY + 2_000);
  }

  @Test
  void aCustomersOwnNewestEventIsTheLowerBound() {
    ApplicationClock clock = new ApplicationClock(true);
    ModelSnapshot model = modelAt(1, T0 + 10 * DAY);
    assertThat(clock.nowFor(lastSeenAt(T0 + 12 * DAY), model, WALL)).isEqualTo(T0 + 12 * DAY);
    assertThat(clock.nowFor(lastSeenAt(T0 + 2 * DAY), model, WALL)).isEqualTo(T0 + 10 * DAY);
  }

  @Test
  void beforeTheFirstModelHybridUsesTheWallClock() {
    ApplicationClock clock = new ApplicationClock(true);
    assertThat(clock.nowFor(lastSeenAt(T0), null, WALL)).isEqualTo(WALL);
    assertThat(clock.nowFor(lastSeenAt(WALL + DAY), null, WALL)).isEqualTo(WALL + DAY);
  }

  @Test
  void eventClockIgnoresTheWallClock() {
    ApplicationClock clock = new ApplicationClock(false);
    ModelSnapshot model = modelAt(1, T0 + 10 * DAY);
    assertThat(clock.now(model, WALL)).isEqualTo(T0 + 10 * DAY);
    assertThat(clock.now(model, WALL + DAY)).isEqualTo(T0 + 10 * DAY);
    assertThat(clock.nowFor(lastSeenAt(T0 + 3 * DAY), model, WALL)).isEqualTo(T0 + 10 * DAY);

    ApplicationClock noModelYet = new ApplicationClock(false);
    assertThat(noModelYet.nowFor(lastSeenAt(T0 + 3 * DAY), null, WALL)).isEqualTo(T0 + 3 * DAY);
    assertThat(noModelYet.nowFor(CustomerProfile.empty(), null, WALL)).isEqualTo(WALL);
  }
}
