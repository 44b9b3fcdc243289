package io.segmenter.topology;

import io.segmenter.events.CampaignOutcome;
import io.segmenter.profile.CustomerProfile;
import io.segmenter.strategy.CustomerStrategies;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts a valid campaign outcome under the segment each strategy gives the customer now: the
 * profile's segment for the strategy that holds it (the champion, or the previous champion while a
 * promotion is not yet carried out for this customer), the strategy-assignments store's for the
 * others. Reads the customer's state and writes only the campaign-outcomes store: an outcome is not
 * behaviour the features use, so it creates and changes no profile.
 */
final class CampaignOutcomes {
  private final Strategies strategies;
  private final TaskStores stores;

  CampaignOutcomes(Strategies strategies, TaskStores stores) {
    this.strategies = strategies;
    this.stores = stores;
  }

  /** @param customerId the customer as the stores know them (pseudonymised when that is on) */
  void count(String customerId, CampaignOutcome outcome) {
    stores.campaigns().count(segments(customerId), outcome.getCampaignId(), outcome.getOutcome());
  }

  /** By strategy, the customer's segment in it now; -1 for a customer it has not placed (or never seen). */
  Map<String, Integer> segments(String customerId) {
    CustomerProfile profile = stores.profiles().get(customerId);
    int profileSegment = profile == null ? CustomerStrategies.NO_SEGMENT : profile.segmentId();
    Map<String, Integer> out = new TreeMap<>();
    if (!strategies.comparing()) {
      out.put(strategies.champion(), profileSegment);
      return out;
    }
    CustomerStrategies s = stores.strategies().decode(stores.strategies().read(customerId));
    String holder = strategies.holderOf(s.champion(), profileSegment);
    for (String name : strategies.names()) {
      CustomerStrategies.Assignment a = s.assignment(name);
      out.put(name, name.equals(holder) ? profileSegment : a == null ? CustomerStrategies.NO_SEGMENT : a.segment());
    }
    return out;
  }
}
