package io.segmenter.topology;

import io.segmenter.events.FeatureValue;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentEventKind;
import io.segmenter.events.SegmentHistoryEvent;
import io.segmenter.events.SegmentRule;
import io.segmenter.events.SegmentStatus;
import io.segmenter.explain.Explanation;
import io.segmenter.explain.Rule;
import io.segmenter.model.Centre;
import io.segmenter.model.Features;
import io.segmenter.model.ModelSnapshot;
import io.segmenter.model.SegmentEvent;
import io.segmenter.model.SegmentName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The segment-catalog entries a model version makes: one for every segment that appeared, was
 * renamed, changed its rules, merged or retired in it, and one for every segment on a refresh
 * version (so that centres and populations stay current without an entry per version).
 */
final class CatalogEntries {
  /** Events an entry's history keeps, newest last. */
  static final int HISTORY = 20;

  private CatalogEntries() { }

  /**
   * @param published the entry last published for a segment id, or null
   * @param everyone whether every segment gets an entry (a refresh version)
   */
  static List<SegmentCatalogEntry> of(ModelSnapshot version, IntFunction<SegmentCatalogEntry> published, boolean everyone) {
    List<SegmentCatalogEntry> out = new ArrayList<>();
    Explanation explanation = version.notes().explanation();
    double fidelity = explanation == null ? Double.NaN : explanation.fidelity();
    for (Centre c : version.kmeans().centres()) {
      int id = c.id();
      SegmentCatalogEntry before = published.apply(id);
      List<SegmentRule> rules = rules(explanation, id);
      String renamedFrom = null;
      for (SegmentEvent e : version.notes().events()) {
        if (e.centreId() == id && e.kind() == SegmentEvent.Kind.RENAMED) renamedFrom = e.fromName();
      }
      boolean changed = before == null || before.getStatus() != SegmentStatus.ACTIVE
          || !before.getName().equals(version.name(id)) || !texts(before.getRules()).equals(texts(rules));
      if (!changed && !everyone) continue;
      double[] centre = version.centreInOriginalUnits(id);
      List<FeatureValue> values = new ArrayList<>();
      for (int i = 0; i < centre.length; i++) values.add(new FeatureValue(Features.NAMES.get(i), centre[i]));
      out.add(SegmentCatalogEntry.newBuilder()
          .setSegmentId(id)
          .setName(version.name(id))
          .setDescription(version.segmentName(id).map(SegmentName::description).orElse(""))
          .setStatus(SegmentStatus.ACTIVE)
          .setModelVersion(version.version())
          .setCentre(values)
          .setPopulation(version.notes().estimatedPopulation(id))
          .setRules(rules)
          .setRuleFidelity(fidelity)
          .setRenamedFrom(renamedFrom)
          .setMergedInto(null)
          .setHistory(history(before, version, id))
          .setUpdatedAt(Instant.ofEpochMilli(version.createdAt()))
          .build());
    }
    for (SegmentEvent e : version.notes().events()) {
      if (e.kind() != SegmentEvent.Kind.MERGED && e.kind() != SegmentEvent.Kind.RETIRED) continue;
      SegmentCatalogEntry before = published.apply(e.centreId());
      out.add(gone(SegmentCatalogEntry.newBuilder()
          .setSegmentId(e.centreId())
          .setName(e.fromName() != null ? e.fromName() : before != null ? before.getName() : "Segment " + e.centreId())
          .setDescription(before != null ? before.getDescription() : "")
          .setRuleFidelity(fidelity),
          e.kind() == SegmentEvent.Kind.MERGED ? SegmentStatus.MERGED : SegmentStatus.RETIRED, e.intoCentre(),
          history(before, version, e.centreId()), version));
    }
    return out;
  }

  /**
   * The entries that take a demoted champion's segments out of the catalog: each of its ACTIVE
   * entries again, RETIRED in {@code version} (its customers now hold the new champion's segments),
   * without centre, population or rules, with a RETIRED event added to its history. Unlike a segment
   * its model dropped, such a segment can come back: promoted again, the strategy publishes it ACTIVE
   * with a CREATED event.
   *
   * @param published the strategy's entries last published, any status (only ACTIVE ones are retired)
   */
  static List<SegmentCatalogEntry> retiredWithTheirStrategy(List<SegmentCatalogEntry> published, ModelSnapshot version) {
    List<SegmentCatalogEntry> out = new ArrayList<>();
    for (SegmentCatalogEntry before : published) {
      if (before.getStatus() != SegmentStatus.ACTIVE) continue;
      List<SegmentHistoryEvent> h = new ArrayList<>(before.getHistory());
      h.add(new SegmentHistoryEvent(version.version(), SegmentEventKind.RETIRED, before.getName(), null, null));
      out.add(gone(SegmentCatalogEntry.newBuilder(before), SegmentStatus.RETIRED, null, latest(h), version));
    }
    return out;
  }

  /** The entry of a segment no longer ACTIVE as of {@code version}: no centre, population or rules. */
  private static SegmentCatalogEntry gone(SegmentCatalogEntry.Builder entry, SegmentStatus status, Integer mergedInto,
      List<SegmentHistoryEvent> history, ModelSnapshot version) {
    return entry.setStatus(status)
        .setModelVersion(version.version())
        .setCentre(List.of())
        .setPopulation(0)
        .setRules(List.of())
        .setRenamedFrom(null)
        .setMergedInto(mergedInto)
        .setHistory(history)
        .setUpdatedAt(Instant.ofEpochMilli(version.createdAt()))
        .build();
  }

  private static List<SegmentRule> rules(Explanation explanation, int id) {
    if (explanation == null) return List.of();
    List<SegmentRule> out = new ArrayList<>();
    for (Rule r : explanation.rulesFor(id)) out.add(new SegmentRule(r.text(), (long) r.support(), r.precision()));
    return out;
  }

  private static List<String> texts(List<SegmentRule> rules) {
    return rules.stream().map(SegmentRule::getText).toList();
  }

  private static List<SegmentHistoryEvent> history(SegmentCatalogEntry before, ModelSnapshot version, int id) {
    List<SegmentHistoryEvent> h = new ArrayList<>(before == null ? List.of() : before.getHistory());
    for (SegmentEvent e : version.notes().events()) {
      if (e.centreId() != id) continue;
      h.add(new SegmentHistoryEvent(version.version(), SegmentEventKind.valueOf(e.kind().name()), e.fromName(),
          e.toName(), e.intoCentre()));
    }
    if (before == null && version.kmeans().centre(id) != null
        && h.stream().noneMatch(x -> x.getKind() == SegmentEventKind.CREATED)) {
      // A segment older than the catalog (a model from before this release): say when it entered it.
      h.add(0, new SegmentHistoryEvent(version.version(), SegmentEventKind.CREATED, null, version.name(id), null));
    } else if (before != null && before.getStatus() == SegmentStatus.RETIRED && version.kmeans().centre(id) != null) {
      // Retired with its strategy at a demotion, back with a re-promotion: it enters the catalog again.
      h.add(new SegmentHistoryEvent(version.version(), SegmentEventKind.CREATED, null, version.name(id), null));
    }
    return latest(h);
  }

  /** The newest {@link #HISTORY} events of a history, oldest first. */
  private static List<SegmentHistoryEvent> latest(List<SegmentHistoryEvent> h) {
    return h.size() <= HISTORY ? h : new ArrayList<>(h.subList(h.size() - HISTORY, h.size()));
  }
}
