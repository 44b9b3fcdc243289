package io.segmenter.profile;

import io.segmenter.clv.CustomerSummary;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-customer repeat-purchase summaries of a transaction log (an analyst's file, e.g. CDNOW), made
 * by the same code as the live ones: each transaction is applied to a {@link CustomerProfile} as a
 * placed order, and the summary is {@link CustomerProfile#repeatSummary}. So a model fitted on a
 * file sees customers exactly as the running service does.
 */
public final class TransactionSummaries {
  /** One purchase: who, when (epoch ms), and how much (non-negative). */
  public record Transaction(String customerId, long occurredAtMs, BigDecimal amount) {
    public Transaction {
      Objects.requireNonNull(customerId, "customerId");
      Objects.requireNonNull(amount, "amount");
    }
  }

  private TransactionSummaries() { }

  /**
   * The summaries at {@code nowMs} of the customers with a transaction at or before it, in the
   * order of their first such transaction; times in units of {@code unitMs}. Transactions after
   * {@code nowMs} (a hold-out period) are ignored.
   */
  public static Map<String, CustomerSummary> summarise(List<Transaction> transactions, long nowMs, long unitMs) {
    if (unitMs <= 0) throw new IllegalArgumentException("time unit must be positive: " + unitMs + " ms");
    ProfileConfig config = ProfileConfig.defaults();
    Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
    for (Transaction t : transactions) {
      if (t.occurredAtMs() > nowMs) continue;
      profiles.computeIfAbsent(t.customerId(), k -> CustomerProfile.empty()).apply(order(t), config);
    }
    Map<String, CustomerSummary> out = new LinkedHashMap<>();
    profiles.forEach((id, p) -> out.put(id, p.repeatSummary(nowMs, unitMs)));
    return out;
  }

  private static OrderEvent order(Transaction t) {
    return OrderEvent.newBuilder()
        .setOrderId("")
        .setCustomerId(t.customerId())
        .setStatus(OrderStatus.PLACED)
        .setAmount(t.amount().setScale(CustomerProfile.MONEY_SCALE, RoundingMode.HALF_EVEN))
        .setCurrency("")
        .setItemCount(0)
        .setOccurredAt(Instant.ofEpochMilli(t.occurredAtMs()))
        .build();
  }
}
