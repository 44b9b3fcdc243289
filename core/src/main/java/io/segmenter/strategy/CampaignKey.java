package io.segmenter.strategy;

import io.segmenter.events.CampaignOutcomeType;
import java.util.Objects;

/**
 * The key of one count of the campaign-outcomes store: {@code strategy/segment/campaign/OUTCOME}
 * (e.g. {@code default/3/spring-sale/OPENED}), counting how many outcomes of that kind the campaign
 * had among the customers the strategy put in that segment. No customer id: the store is an
 * aggregate. A campaign id may itself contain '/': strategy names, segment ids and outcome names
 * never do, so the campaign is whatever lies between the second and the last '/'.
 *
 * @param strategy the strategy's name ({@code default} without challengers)
 * @param segment the strategy's segment id for the customer, {@link CustomerStrategies#NO_SEGMENT} for none
 * @param campaign the campaign id ({@link #checkCampaign}), or {@link #OTHER}
 * @param outcome what happened; never {@code UNKNOWN}
 */
public record CampaignKey(String strategy, int segment, String campaign, CampaignOutcomeType outcome) {
  /**
   * Longest campaign id accepted. Campaign ids are keys of the store and rows of the answer: a
   * bound on their length bounds both (with the bound on their number, {@link CampaignNames}).
   */
  public static final int MAX_CAMPAIGN_LENGTH = 64;
  /** The campaign the outcomes of campaigns beyond a task's limit are counted under. Not a valid campaign id. */
  public static final String OTHER = "(other)";
  private static final char SEPARATOR = '/';

  public CampaignKey {
    Objects.requireNonNull(strategy, "strategy");
    if (strategy.isEmpty() || strategy.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("strategy name '" + strategy + "' is empty or contains '/'");
    }
    if (segment < CustomerStrategies.NO_SEGMENT) throw new IllegalArgumentException("segment " + segment + " is below -1");
    if (!OTHER.equals(campaign)) {
      String problem = checkCampaign(campaign);
      if (problem != null) throw new IllegalArgumentException(problem);
    }
    if (outcome == null || outcome == CampaignOutcomeType.UNKNOWN) {
      throw new IllegalArgumentException("outcome " + outcome + " is not countable");
    }
  }

  /**
   * What is wrong with a campaign id as input, or null when it is fine: non-blank, at most
   * {@link #MAX_CAMPAIGN_LENGTH} characters, no control characters, not {@link #OTHER}.
   * Messages do not repeat the id.
   */
  public static String checkCampaign(String campaign) {
    if (campaign == null || campaign.isBlank()) return "campaign id is blank";
    if (campaign.length() > MAX_CAMPAIGN_LENGTH) {
      return "campaign id is " + campaign.length() + " characters long; at most " + MAX_CAMPAIGN_LENGTH + " are accepted";
    }
    for (int i = 0; i < campaign.length(); i++) {
      if (Character.isISOControl(campaign.charAt(i))) return "campaign id contains a control character";
    }
    if (OTHER.equals(campaign)) return "campaign id " + OTHER + " is reserved for the campaigns beyond the limit";
    return null;
  }

  /** The store key. */
  public String encode() {
    return strategy + SEPARATOR + segment + SEPARATOR + campaign + SEPARATOR + outcome.name();
  }

  /**
   * Reads a store key written by {@link #encode}.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static CampaignKey parse(String key) {
    int first = key.indexOf(SEPARATOR);
    int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
    int last = key.lastIndexOf(SEPARATOR);
    if (first <= 0 || second < 0 || last <= second) {
      throw new IllegalArgumentException("not a campaign-outcome key (strategy/segment/campaign/OUTCOME)");
    }
    int segment;
    try {
      segment = Integer.parseInt(key.substring(first + 1, second));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the segment of a campaign-outcome key is not a number");
    }
    CampaignOutcomeType outcome;
    try {
      outcome = CampaignOutcomeType.valueOf(key.substring(last + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the outcome of a campaign-outcome key is not one this version knows");
    }
    return new CampaignKey(key.substring(0, first), segment, key.substring(second + 1, last), outcome);
  }
}
