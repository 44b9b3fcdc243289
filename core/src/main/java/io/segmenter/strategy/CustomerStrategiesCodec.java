package io.segmenter.strategy;

import io.segmenter.profile.BinaryIn;
import io.segmenter.profile.BinaryOut;
import io.segmenter.strategy.CustomerStrategies.Assignment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact, versioned binary form of a {@link CustomerStrategies} for the strategy-assignments store
 * and its changelog: 91 bytes for a customer with two challengers in a begun window. Strategies are
 * written by name, not by position in the setting: adding, removing or reordering challengers never
 * makes a stored record mean another strategy.
 *
 * <p>Layout: byte 0 is the format version ({@value #VERSION}); then, without tags ("varint" unsigned
 * LEB128, "zz" zig-zag varint, "str" a varint length then that many UTF-8 bytes, "str?" the length
 * plus one, 0 for null):
 *
 * <pre>
 *  champion str?,
 *  challengers varint n, n x (name str, segment zz, modelVersion zz),
 *  windowStart zz (Long.MIN_VALUE for none), windowBegun u8 (0 or 1),
 *  segmentsAtStart varint n, n x (name str, segment zz),
 *  orders varint, revenue f64,
 *  quietChanges varint n, n x (name str, count varint)
 * </pre>
 *
 * <p><b>Evolution rule</b> (as the profile's): fields are only appended at the end, never reordered,
 * removed or retyped, and the version byte stays 1 while that holds; a decoder ignores bytes after
 * the last field it knows (written by a newer release). Every field above is required, so bytes cut
 * anywhere, a bad value or an unknown version are corruption and fail with
 * {@link IllegalArgumentException} saying which.
 */
public final class CustomerStrategiesCodec {
  public static final byte VERSION = 1;
  private static final String WHAT = "strategy assignments";

  private CustomerStrategiesCodec() { }

  public static byte[] encode(CustomerStrategies s) {
    BinaryOut out = new BinaryOut(64);
    out.u8(VERSION);
    if (s.champion() == null) {
      out.varint(0);
    } else {
      byte[] utf8 = s.champion().getBytes(StandardCharsets.UTF_8);
      out.varint(utf8.length + 1L);
      raw(out, utf8);
    }
    out.varint(s.names().size());
    for (String name : s.names()) {
      Assignment a = s.assignment(name);
      string(out, name);
      out.zz(a.segment());
      out.zz(a.modelVersion());
    }
    out.zz(s.windowStart());
    out.u8(s.windowBegun() ? 1 : 0);
    out.varint(s.segmentsAtStart().size());
    for (Map.Entry<String, Integer> e : s.segmentsAtStart().entrySet()) {
      string(out, e.getKey());
      out.zz(e.getValue());
    }
    out.varint(s.orders());
    out.f64(s.revenue());
    out.varint(s.quietChanges().size());
    for (Map.Entry<String, Integer> e : s.quietChanges().entrySet()) {
      string(out, e.getKey());
      out.varint(e.getValue());
    }
    // Append new fields here, and read them in decode only while in.hasMore().
    return out.toByteArray();
  }

  public static CustomerStrategies decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException(WHAT + " bytes are empty: no format version byte");
    }
    if (bytes[0] != VERSION) {
      throw new IllegalArgumentException("unsupported " + WHAT + " format version " + (bytes[0] & 0xff)
          + " (this release reads " + VERSION + ")");
    }
    BinaryIn in = new BinaryIn(WHAT, bytes, 1);
    CustomerStrategies s = new CustomerStrategies();
    long championLength = in.varint();
    if (championLength > 0) s.champion(string(in, championLength - 1, "champion"));
    int n = in.length("challengers", 3);
    for (int i = 0; i < n; i++) {
      String name = string(in, "challenger name");
      int segment = segment(in, "segment of " + name);
      s.put(name, new Assignment(segment, in.zz()));
    }
    long start = in.zz();
    int begun = in.u8();
    if (begun > 1) throw new IllegalArgumentException(WHAT + ": windowBegun is " + begun + ", not 0 or 1");
    Map<String, Integer> atStart = new TreeMap<>();
    n = in.length("segmentsAtStart", 2);
    for (int i = 0; i < n; i++) {
      String name = string(in, "strategy name");
      atStart.put(name, segment(in, "segment at start of " + name));
    }
    s.window(start, begun == 1, atStart);
    long orders = in.count("orders");
    if (orders > Integer.MAX_VALUE) throw new IllegalArgumentException(WHAT + ": orders " + orders + " does not fit an int");
    double revenue = in.f64();
    if (!Double.isFinite(revenue)) throw new IllegalArgumentException(WHAT + ": revenue is " + revenue);
    Map<String, Integer> quiet = new TreeMap<>();
    n = in.length("quietChanges", 2);
    for (int i = 0; i < n; i++) {
      String name = string(in, "strategy name");
      long count = in.count("quiet changes of " + name);
      if (count > Integer.MAX_VALUE) throw new IllegalArgumentException(WHAT + ": quiet changes " + count + " do not fit an int");
      quiet.put(name, (int) count);
    }
    s.counters((int) orders, revenue, quiet);
    // Bytes after this point were appended by a newer release: ignored.
    return s;
  }

  private static void string(BinaryOut out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.varint(utf8.length);
    raw(out, utf8);
  }

  private static void raw(BinaryOut out, byte[] bytes) {
    for (byte b : bytes) out.u8(b);
  }

  private static String string(BinaryIn in, String name) {
    return string(in, in.varint(), name);
  }

  private static String string(BinaryIn in, long length, String name) {
    int previous = in.limit(length); // fails on a length beyond the bytes left
    byte[] utf8 = new byte[(int) length];
    for (int i = 0; i < utf8.length; i++) utf8[i] = (byte) in.u8();
    in.release(previous);
    if (utf8.length == 0) throw new IllegalArgumentException(WHAT + ": " + name + " is empty");
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static int segment(BinaryIn in, String name) {
    int id = in.int32(name);
    if (id < CustomerStrategies.NO_SEGMENT) throw new IllegalArgumentException(WHAT + ": " + name + " is " + id + ", below -1 (none)");
    return id;
  }
}
