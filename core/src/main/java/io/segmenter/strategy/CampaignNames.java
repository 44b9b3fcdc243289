package io.segmenter.strategy;

import java.util.HashSet;
import java.util.Set;

/**
 * The campaigns one task counts under their own name: the first {@code max} distinct campaign ids
 * it sees; the outcomes of any later campaign are counted under {@link CampaignKey#OTHER}. Campaign
 * ids come from producers, without any limit on how many there are: without this bound the store,
 * each scan of it and each answer of the HTTP side would grow with every campaign ever run. With
 * it a task holds at most strategies x segments x (max + 1) x 4 counts.
 *
 * <p>Which campaigns get a name is per task, in the order the task saw them: past the limit, a
 * campaign can have its own row from one task and be in "(other)" in another. Not thread-safe:
 * one per task, like the task's stores.
 */
public final class CampaignNames {
  private final int max;
  private final Set<String> named = new HashSet<>();

  /**
   * @param max campaigns counted under their own name
   * @param known the campaigns the task's store already counts under their own name (found at start)
   */
  public CampaignNames(int max, Iterable<String> known) {
    if (max < 1) throw new IllegalArgumentException("max campaigns " + max + " is below 1");
    this.max = max;
    for (String c : known) if (!CampaignKey.OTHER.equals(c)) named.add(c);
  }

  /** The campaign an outcome of {@code campaign} is counted under: itself, or {@link CampaignKey#OTHER}. */
  public String countedAs(String campaign) {
    if (named.contains(campaign)) return campaign;
    if (named.size() >= max) return CampaignKey.OTHER;
    named.add(campaign);
    return campaign;
  }

  /** Campaigns counted under their own name. */
  public int size() {
    return named.size();
  }
}
