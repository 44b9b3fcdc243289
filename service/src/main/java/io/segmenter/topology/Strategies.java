package io.segmenter.topology;

import io.segmenter.config.StrategySettings;
import io.segmenter.strategy.StrategySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmentation strategies one instance runs (docs/STRATEGIES.md): a model holder per strategy,
 * and which of them is the champion (the one whose segments are emitted). The champion comes from
 * the settings until the control topic says otherwise; every instance reads that topic whole, in
 * the same order, so every instance ends on the same champion (the last record wins).
 */
public final class Strategies {
  private static final Logger LOG = LoggerFactory.getLogger(Strategies.class);
  private final Map<String, ModelHolder> holders = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<Champion> champion = new AtomicReference<>(Champion.initial(StrategySpec.DEFAULT));
  private final ModelHolder championView = ModelHolder.following(() -> holder(champion()));
  private volatile List<StrategySettings> settings = List.of();

  /**
   * A champion as the control topic records it.
   *
   * @param setting the value of segmenter.strategy.champion this record acted on (a restart with a
   *     different value promotes again; see {@code StrategyControl})
   * @param source {@code setting} or {@code http}
   */
  public record Champion(String name, long epoch, String setting, String source, long at) {
    static Champion initial(String name) {
      return new Champion(name, 0, name, "setting", 0);
    }
  }

  /** Writes a promotion to the control topic (set by the service; null in tests without a broker). */
  public interface Promoter {
    Champion promote(String name) throws Exception;
  }

  private volatile Promoter promoter;

  /** Set once the service can write to the control topic. */
  public void promoter(Promoter p) {
    this.promoter = p;
  }

  /** Records {@code name} as the champion on the control topic; every instance applies it as it reads it. */
  public Champion promote(String name) throws Exception {
    Promoter p = promoter;
    if (p == null) throw new IllegalStateException("promotions cannot be written here (no control topic writer)");
    return p.promote(name);
  }

  Strategies() {
    holders.put(StrategySpec.DEFAULT, new ModelHolder());
  }

  /** Called once, when the topology is built: the strategies and the champion the settings name. */
  void configure(List<StrategySettings> strategies, String championSetting) {
    for (StrategySettings s : strategies) holders.computeIfAbsent(s.name(), n -> new ModelHolder());
    settings = List.copyOf(strategies);
    champion.set(Champion.initial(championSetting));
  }

  /** The strategies' settings, the default first. */
  public List<StrategySettings> settings() {
    return settings;
  }

  /** Whether challengers run beside the champion (otherwise nothing of this class is on the hot path). */
  public boolean comparing() {
    return settings.size() > 1;
  }

  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (StrategySettings s : settings) out.add(s.name());
    return out;
  }

  public ModelHolder holder(String name) {
    ModelHolder h = holders.get(name);
    if (h == null) throw new IllegalArgumentException("no strategy named '" + name + "'");
    return h;
  }

  /** The champion's model, whichever strategy that is now. */
  public ModelHolder championModel() {
    return championView;
  }

  /**
   * The strategy a segment id belongs to, by id range (each strategy's ids start at its
   * {@link StrategySpec#idBase} and never collide): the default strategy's when no challenger's range
   * holds it.
   */
  public String ownerOf(int segmentId) {
    for (StrategySettings s : settings) {
      if (!s.isDefault() && segmentId >= s.idBase() && segmentId - s.idBase() < StrategySpec.ID_RANGE) return s.name();
    }
    return StrategySpec.DEFAULT;
  }

  /**
   * The strategy whose segment a customer's profile holds: as their strategy state records it, or,
   * for a customer without one yet (challengers just turned on, a state that could not be read), by
   * the id's range; the champion for a customer without a segment.
   */
  public String holderOf(String recorded, int profileSegment) {
    if (recorded != null) return recorded;
    return profileSegment >= 0 ? ownerOf(profileSegment) : champion();
  }

  /** The name a segment id has in the strategy whose model holds it now, or null when none does. */
  public String nameOf(int segmentId) {
    for (ModelHolder h : holders.values()) {
      var m = h.current();
      if (m != null && m.kmeans().centre(segmentId) != null) return m.name(segmentId);
    }
    return null;
  }

  public String champion() {
    return champion.get().name();
  }

  public Champion championRecord() {
    return champion.get();
  }

  /** The strategies other than the champion, in the settings' order. */
  public List<String> challengers() {
    String c = champion();
    List<String> out = new ArrayList<>();
    for (StrategySettings s : settings) if (!s.name().equals(c)) out.add(s.name());
    return out;
  }

  /**
   * A record of the control topic. One naming a strategy this instance does not run (a challenger
   * removed from the settings since) is refused, said in the log, and the champion stays.
   */
  boolean accept(Champion next) {
    if (!names().contains(next.name())) {
      LOG.error("the strategy control topic names '{}' as champion, which these settings do not run ({}); "
          + "'{}' stays the champion", next.name(), names(), champion());
      return false;
    }
    Champion before = champion.getAndSet(next);
    if (!before.name().equals(next.name())) {
      LOG.info("strategy '{}' is the champion now (was '{}'; promotion {} by {})", next.name(), before.name(),
          next.epoch(), next.source());
    }
    return true;
  }
}
