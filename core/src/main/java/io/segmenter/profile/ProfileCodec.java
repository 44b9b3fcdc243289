package io.segmenter.profile;

import java.util.List;

/**
 * Compact, versioned binary form of a {@link CustomerProfile} for the state store and its
 * changelog.
 *
 * <p>Layout: byte 0 is the format version ({@value #VERSION}); then the fields below, in this
 * order and without tags. "varint" is an unsigned LEB128 varint, "zz" a zig-zag varint (all times,
 * so that {@link CustomerProfile#NONE} and pre-1970 values round-trip), "f64" 8 bytes big-endian
 * IEEE 754, "i64"/"i32" fixed big-endian (hashes are uniformly spread, so a varint would be
 * longer).
 *
 * <pre>
 *  times:      firstSeenAt zz, lastEventAt zz, lastVisitAt zz, firstOrderAt zz, lastOrderAt zz
 *  rfm:        orders varint, cancellations varint, returns varint,
 *              grossSpendUnits varint, refundedUnits varint
 *  decayed:    decayedOrders.value f64, decayedOrders.asOf zz,
 *              decayedSpend.value f64, decayedSpend.asOf zz
 *  behaviour:  pageViews, productViews, searches, cartAdds, cartRemoves, checkoutStarts,
 *              sessions, cartSessions (all varint)
 *  sessions:   count varint, then per entry: hash i64, lastSeen zz, hadCartAdd byte (0/1)
 *  categories: count varint, then hash i32 each, strictly increasing
 *  assignment: segmentId zz, segmentSince zz, assignedModelVersion zz, changeSequence varint,
 *              nextCheckAt zz, lastSampledAt zz
 *  repeat:     purchaseDays varint, firstDaySpendUnits varint (appended in issue 6)
 *  predictive: predictiveSegment zz, predictiveSince zz (appended in issue 6)
 *  recent ids: count varint, then per entry in (time, hash) order: time zz (the first absolute,
 *              each next one as the difference to the previous), id hash i64 (appended in issue 19)
 * </pre>
 *
 * <p>A profile written before the repeat fields existed has orders but no purchase days: the decoder
 * then estimates them (one day per order, the first day's spend the mean order), which is exact for
 * customers who never ordered twice on one day, and is corrected by nothing later (the days of past
 * orders are not known any more).
 *
 * <p><b>Evolution rule.</b> Fields are only ever appended, never reordered, removed or retyped,
 * and the version byte stays 1 while that holds. The decoder reads fields while bytes remain and
 * leaves the rest at their {@link CustomerProfile#empty()} defaults, so bytes written before a
 * field existed still restore; it ignores bytes after the last field it knows, so bytes written by
 * a newer release still restore on an older one (rollback). A field cut in the middle, a bad
 * value or an unknown version is corruption and fails with {@link IllegalArgumentException}.
 */
public final class ProfileCodec {
  public static final byte VERSION = 1;

  private ProfileCodec() {}

  /** One field of the layout: how it is written and read back. */
  private interface Field {
    void write(CustomerProfile p, BinaryOut out);

    void read(CustomerProfile p, BinaryIn in);
  }

  // The layout above, as code. Append only.
  private static final List<Field> FIELDS = List.of(
      // times
      field((p, o) -> o.zz(p.firstSeenAt), (p, i) -> p.firstSeenAt = i.zz()),
      field((p, o) -> o.zz(p.lastEventAt), (p, i) -> p.lastEventAt = i.zz()),
      field((p, o) -> o.zz(p.lastVisitAt), (p, i) -> p.lastVisitAt = i.zz()),
      field((p, o) -> o.zz(p.firstOrderAt), (p, i) -> p.firstOrderAt = i.zz()),
      field((p, o) -> o.zz(p.lastOrderAt), (p, i) -> p.lastOrderAt = i.zz()),
      // rfm
      field((p, o) -> o.varint(p.orders), (p, i) -> p.orders = i.count("orders")),
      field((p, o) -> o.varint(p.cancellations), (p, i) -> p.cancellations = i.count("cancellations")),
      field((p, o) -> o.varint(p.returns), (p, i) -> p.returns = i.count("returns")),
      field((p, o) -> o.varint(p.grossSpendUnits), (p, i) -> p.grossSpendUnits = i.count("grossSpendUnits")),
      field((p, o) -> o.varint(p.refundedUnits), (p, i) -> p.refundedUnits = i.count("refundedUnits")),
      // decayed
      field((p, o) -> decayed(o, p.decayedOrders), (p, i) -> p.decayedOrders = decayed(i, "decayedOrders")),
      field((p, o) -> decayed(o, p.decayedSpend), (p, i) -> p.decayedSpend = decayed(i, "decayedSpend")),
      // behaviour
      field((p, o) -> o.varint(p.pageViews), (p, i) -> p.pageViews = i.count("pageViews")),
      field((p, o) -> o.varint(p.productViews), (p, i) -> p.productViews = i.count("productViews")),
      field((p, o) -> o.varint(p.searches), (p, i) -> p.searches = i.count("searches")),
      field((p, o) -> o.varint(p.cartAdds), (p, i) -> p.cartAdds = i.count("cartAdds")),
      field((p, o) -> o.varint(p.cartRemoves), (p, i) -> p.cartRemoves = i.count("cartRemoves")),
      field((p, o) -> o.varint(p.checkoutStarts), (p, i) -> p.checkoutStarts = i.count("checkoutStarts")),
      field((p, o) -> o.varint(p.sessions), (p, i) -> p.sessions = i.count("sessions")),
      field((p, o) -> o.varint(p.cartSessions), (p, i) -> p.cartSessions = i.count("cartSessions")),
      // collections
      field(ProfileCodec::writeSessions, ProfileCodec::readSessions),
      field(ProfileCodec::writeCategories, ProfileCodec::readCategories),
      // assignment
      field((p, o) -> o.zz(p.segmentId), (p, i) -> p.segmentId = i.int32("segmentId")),
      field((p, o) -> o.zz(p.segmentSince), (p, i) -> p.segmentSince = i.zz()),
      field((p, o) -> o.zz(p.assignedModelVersion), (p, i) -> p.assignedModelVersion = i.zz()),
      field((p, o) -> o.varint(p.changeSequence), (p, i) -> p.changeSequence = i.count("changeSequence")),
      field((p, o) -> o.zz(p.nextCheckAt), (p, i) -> p.nextCheckAt = i.zz()),
      field((p, o) -> o.zz(p.lastSampledAt), (p, i) -> p.lastSampledAt = i.zz()),
      // repeat purchasing
      field((p, o) -> o.varint(p.purchaseDays), (p, i) -> p.purchaseDays = i.count("purchaseDays")),
      field((p, o) -> o.varint(p.firstDaySpendUnits), (p, i) -> p.firstDaySpendUnits = i.count("firstDaySpendUnits")),
      // predictive segment
      field((p, o) -> o.zz(p.predictiveSegment), (p, i) -> p.predictiveSegment = i.int32("predictiveSegment")),
      field((p, o) -> o.zz(p.predictiveSince), (p, i) -> p.predictiveSince = i.zz()),
      // de-duplication
      field(ProfileCodec::writeRecentIds, ProfileCodec::readRecentIds));

  /** Number of fields format version 1 currently has; tests use it to simulate older writers. */
  static int fieldCount() {
    return FIELDS.size();
  }

  private static final ThreadLocal<BinaryOut> SCRATCH = ThreadLocal.withInitial(() -> new BinaryOut(512));

  public static byte[] encode(CustomerProfile p) {
    return encodeFields(p, FIELDS.size());
  }

  /** The first n fields only: what a release that knew only those fields would have written. */
  static byte[] encodeFields(CustomerProfile p, int n) {
    // One buffer per thread, kept at the largest profile's size: an active customer's profile is a
    // few kB (mostly recent event ids), and a fresh buffer grew through four copies and zeroing for
    // every event. Only the returned copy is allocated.
    BinaryOut out = SCRATCH.get();
    out.clear();
    out.u8(VERSION);
    for (int k = 0; k < n; k++) FIELDS.get(k).write(p, out);
    return out.toByteArray();
  }

  public static CustomerProfile decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("profile bytes are empty: no format version byte");
    }
    if (bytes[0] != VERSION) {
      throw new IllegalArgumentException(
          "unsupported profile format version " + (bytes[0] & 0xff) + " (this release reads " + VERSION + ")");
    }
    BinaryIn in = new BinaryIn("profile", bytes, 1);
    CustomerProfile p = CustomerProfile.empty();
    for (Field f : FIELDS) {
      if (!in.hasMore()) break; // older writer: the remaining fields keep their defaults
      f.read(p, in);
    }
    if (p.orders > 0 && p.purchaseDays == 0) estimatePurchaseDays(p); // written before they existed
    return p; // anything left was written by a newer release and is ignored
  }

  private static void estimatePurchaseDays(CustomerProfile p) {
    boolean oneDay = Math.floorDiv(p.firstOrderAt, CustomerProfile.DAY_MS) == Math.floorDiv(p.lastOrderAt, CustomerProfile.DAY_MS);
    p.purchaseDays = oneDay ? 1 : p.orders;
    p.firstDaySpendUnits = oneDay ? p.grossSpendUnits : p.grossSpendUnits / p.orders;
  }

  private static Field field(
      java.util.function.BiConsumer<CustomerProfile, BinaryOut> w,
      java.util.function.BiConsumer<CustomerProfile, BinaryIn> r) {
    return new Field() {
      @Override
      public void write(CustomerProfile p, BinaryOut out) {
        w.accept(p, out);
      }

      @Override
      public void read(CustomerProfile p, BinaryIn in) {
        r.accept(p, in);
      }
    };
  }

  private static void decayed(BinaryOut o, DecayedSum s) {
    o.f64(s.value());
    o.zz(s.asOfMs());
  }

  private static DecayedSum decayed(BinaryIn in, String name) {
    double value = in.f64();
    long asOf = in.zz();
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(name + " value is not a finite non-negative number: " + value);
    }
    if (asOf == CustomerProfile.NONE) {
      if (value != 0) throw new IllegalArgumentException(name + " has a value but no time");
      return DecayedSum.EMPTY;
    }
    return new DecayedSum(value, asOf);
  }

  private static void writeSessions(CustomerProfile p, BinaryOut o) {
    SessionMemory m = p.sessionMemory;
    o.varint(m.size());
    for (int k = 0; k < m.size(); k++) {
      o.i64(m.hashAt(k));
      o.zz(m.lastSeenAt(k));
      o.u8(m.hadCartAdd(k) ? 1 : 0);
    }
  }

  private static void readSessions(CustomerProfile p, BinaryIn in) {
    // Each entry takes at least 10 bytes: a corrupt count must not allocate gigabytes.
    int n = in.length("session memory", 10);
    for (int k = 0; k < n; k++) {
      long hash = in.i64();
      long lastSeen = in.zz();
      int flag = in.u8();
      if (flag > 1) throw new IllegalArgumentException("session cart flag is " + flag + ", not 0 or 1");
      p.sessionMemory.restore(hash, lastSeen, flag == 1);
    }
  }

  private static void writeCategories(CustomerProfile p, BinaryOut o) {
    CategorySet s = p.categories;
    o.varint(s.size());
    for (int k = 0; k < s.size(); k++) o.i32(s.hashAt(k));
  }

  private static void readCategories(CustomerProfile p, BinaryIn in) {
    int n = in.length("category set", 4);
    int[] hashes = new int[n];
    for (int k = 0; k < n; k++) hashes[k] = in.i32();
    p.categories.restore(hashes);
  }

  private static void writeRecentIds(CustomerProfile p, BinaryOut o) {
    RecentIds r = p.recentIds;
    o.varint(r.size());
    long previous = 0;
    for (int k = 0; k < r.size(); k++) {
      o.zz(r.timeAt(k) - previous);
      previous = r.timeAt(k);
      o.i64(r.hashAt(k));
    }
  }

  private static void readRecentIds(CustomerProfile p, BinaryIn in) {
    // Each entry takes at least 9 bytes: a corrupt count must not allocate gigabytes.
    int n = in.length("recent ids", 9);
    long[] times = new long[n];
    long[] hashes = new long[n];
    long time = 0;
    for (int k = 0; k < n; k++) {
      time += in.zz();
      times[k] = time;
      hashes[k] = in.i64();
    }
    p.recentIds.restore(times, hashes);
  }
}
