package io.segmenter.examples;

import io.segmenter.events.ChangeReason;
import io.segmenter.events.FeatureValue;
import io.segmenter.events.SegmentCatalogEntry;
import io.segmenter.events.SegmentChange;
import io.segmenter.events.SegmentEventKind;
import io.segmenter.events.SegmentHistoryEvent;
import io.segmenter.events.SegmentRef;
import io.segmenter.events.SegmentRule;
import io.segmenter.events.SegmentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Catalog entries and segment changes as segmenter writes them, for the catalog tests. */
final class CatalogRecords {
  static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

  private CatalogRecords() {
  }

  /** An ACTIVE segment with a centre, two rules (the second covers more customers) and its history so far. */
  static SegmentCatalogEntry active(int id, String name, String description, long version, String renamedFrom,
      List<SegmentRule> rules) {
    List<SegmentHistoryEvent> history = new ArrayList<>();
    history.add(new SegmentHistoryEvent(1L, SegmentEventKind.CREATED, null, renamedFrom != null ? renamedFrom : name,
        null));
    if (renamedFrom != null) {
      history.add(new SegmentHistoryEvent(version, SegmentEventKind.RENAMED, renamedFrom, name, null));
    }
    return SegmentCatalogEntry.newBuilder()
        .setSegmentId(id)
        .setName(name)
        .setDescription(description)
        .setStatus(SegmentStatus.ACTIVE)
        .setModelVersion(version)
        .setCentre(List.of(new FeatureValue("recency_days", 6.5), new FeatureValue("orders", 9.0),
            new FeatureValue("net_spend", 1840.25)))
        .setPopulation(412)
        .setRules(rules)
        .setRuleFidelity(0.91)
        .setRenamedFrom(renamedFrom)
        .setMergedInto(null)
        .setHistory(history)
        .setUpdatedAt(T0.plusSeconds(3600 * version))
        .build();
  }

  /** A segment that became part of {@code into} in {@code version}: empty centre and rules. */
  static SegmentCatalogEntry merged(int id, String name, int into, long version) {
    return SegmentCatalogEntry.newBuilder()
        .setSegmentId(id)
        .setName(name)
        .setDescription("Merged into segment " + into)
        .setStatus(SegmentStatus.MERGED)
        .setModelVersion(version)
        .setCentre(List.of())
        .setPopulation(0)
        .setRules(List.of())
        .setRuleFidelity(0.91)
        .setRenamedFrom(null)
        .setMergedInto(into)
        .setHistory(List.of(
            new SegmentHistoryEvent(1L, SegmentEventKind.CREATED, null, name, null),
            new SegmentHistoryEvent(version, SegmentEventKind.MERGED, null, null, into)))
        .setUpdatedAt(T0.plusSeconds(3600 * version))
        .build();
  }

  /** A customer entering {@code into} (null: erased), leaving {@code from} (null: first assignment). */
  static SegmentChange change(String customerId, long sequence, SegmentRef from, SegmentRef into,
      ChangeReason reason, long modelVersion) {
    return SegmentChange.newBuilder()
        .setCustomerId(customerId)
        .setSequence(sequence)
        .setPreviousSegment(from)
        .setNewSegment(into)
        .setReason(reason)
        .setModelVersion(modelVersion)
        .setRfm(null)
        .setDistance(into == null ? null : 0.42)
        .setEventTime(T0.plusSeconds(60 * sequence))
        .setProcessingTime(T0.plusSeconds(60 * sequence + 1))
        .build();
  }
}
