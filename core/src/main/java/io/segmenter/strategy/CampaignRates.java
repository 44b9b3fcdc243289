package io.segmenter.strategy;

import io.segmenter.events.CampaignOutcomeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the campaign figures: for one strategy, one of its segments and one campaign, the
 * outcomes counted and the rates over the deliveries. Counts add up over tasks and instances (sum
 * the counts, then make the rates); rates do not.
 *
 * <p>A rate is a count over {@code delivered}: null when nothing was delivered (no rate to give),
 * and above 1 when the source sends opens or clicks without a delivery record for each of them
 * (segmenter does not infer deliveries).
 *
 * @param segment the strategy's segment id, -1 for customers without a segment
 * @param campaign the campaign id, or {@link CampaignKey#OTHER}
 */
public record CampaignRates(String strategy, int segment, String campaign, long delivered, long opened, long clicked,
    long converted, Double openRate, Double clickRate, Double conversionRate) {

  /** Rows from counts keyed as in the store, ordered by strategy, segment and campaign. */
  public static List<CampaignRates> of(Map<CampaignKey, Long> counts) {
    Map<Row, long[]> rows = new TreeMap<>(Comparator.comparing(Row::strategy).thenComparingInt(Row::segment)
        .thenComparing(Row::campaign));
    for (Map.Entry<CampaignKey, Long> e : counts.entrySet()) {
      CampaignKey k = e.getKey();
      long[] c = rows.computeIfAbsent(new Row(k.strategy(), k.segment(), k.campaign()), r -> new long[4]);
      c[index(k.outcome())] += e.getValue();
    }
    List<CampaignRates> out = new ArrayList<>(rows.size());
    rows.forEach((r, c) -> out.add(new CampaignRates(r.strategy(), r.segment(), r.campaign(), c[0], c[1], c[2], c[3],
        rate(c[1], c[0]), rate(c[2], c[0]), rate(c[3], c[0]))));
    return out;
  }

  private record Row(String strategy, int segment, String campaign) { }

  private static int index(CampaignOutcomeType outcome) {
    return switch (outcome) {
      case DELIVERED -> 0;
      case OPENED -> 1;
      case CLICKED -> 2;
      case CONVERTED -> 3;
      case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN outcomes are never counted");
    };
  }

  private static Double rate(long count, long delivered) {
    return delivered == 0 ? null : (double) count / delivered;
  }
}
