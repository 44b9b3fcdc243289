package io.segmenter.strategy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A segmentation strategy: a name and the model settings in which it differs from the base
 * (the {@code segmenter.model.*} settings, which are the {@value #DEFAULT} strategy). A null
 * override means "as the base", so a challenger written as {@code wide: k.min=3 k.max=10} follows
 * every other base setting, including later changes of it.
 *
 * <p>Challengers are read from one setting, {@value #SETTING}, by {@link #parse}; its errors are
 * {@link IllegalArgumentException}s that name the setting, the spec and the key at fault and say what
 * is allowed, so that start-up can fail with a message the operator can act on.
 *
 * @param name {@code [a-z][a-z0-9-]{0,23}}: it names the strategy's topics, metrics and rows
 * @param k number of segments, 0..64 (0 = choose k in [kMin, kMax]); null = the base's
 * @param kMin smallest k to choose, 1..64; null = the base's
 * @param kMax largest k to choose, 1..64; null = the base's
 * @param decayFactor forgetting factor per model version, 0.01..1.0; null = the base's
 * @param refreshEvery versions between batch refreshes, at least 0 (0 = never); null = the base's
 * @param seed seed of k-means++ and re-seeding; null = the base's
 */
public record StrategySpec(String name, Integer k, Integer kMin, Integer kMax, Double decayFactor,
    Integer refreshEvery, Long seed) {

  /** The base strategy's name: the one the {@code segmenter.model.*} settings describe. */
  public static final String DEFAULT = "default";
  /** The setting that lists the challengers. */
  public static final String SETTING = "segmenter.strategy.challengers";
  /** Challengers at most: each runs its own model and assignment of every customer, a cost per event. */
  public static final int MAX_CHALLENGERS = 2;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,23}");
  private static final String NAME_RULE = "a lower-case letter then up to 23 lower-case letters, digits or '-'";
  private static final String KEYS = "k, k.min, k.max, decay.factor, refresh.every.versions, seed";

  /** Segment ids of one strategy lie in [idBase, idBase + ID_RANGE) (see {@link #idBase}). */
  public static final int ID_RANGE = 1_000_000;

  /** Checks every override's range (the same ranges as the base's settings) and the name. */
  public StrategySpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(SETTING + ": strategy name '" + name + "' is not allowed: " + NAME_RULE);
    }
    check(name, "k", k, k == null || (k >= 0 && k <= 64), "an integer in 0..64 (0 = choose k in [k.min, k.max])");
    check(name, "k.min", kMin, kMin == null || (kMin >= 1 && kMin <= 64), "an integer in 1..64");
    check(name, "k.max", kMax, kMax == null || (kMax >= 1 && kMax <= 64), "an integer in 1..64");
    if (kMin != null && kMax != null && kMin > kMax) {
      throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': k.min=" + kMin + " is above k.max="
          + kMax + ": allowed k.min <= k.max");
    }
    check(name, "decay.factor", decayFactor, decayFactor == null || (decayFactor >= 0.01 && decayFactor <= 1.0),
        "a number in 0.01..1.0 (1 = never forget)");
    check(name, "refresh.every.versions", refreshEvery, refreshEvery == null || refreshEvery >= 0,
        "an integer of at least 0 (0 = never)");
  }

  /** The base strategy: every setting as {@code segmenter.model.*} says. */
  public static StrategySpec base() {
    return new StrategySpec(DEFAULT, null, null, null, null, null, null);
  }

  /**
   * The challengers the setting's value lists, in its order: specs separated by {@code ;}, each
   * {@code name: key=value key=value ...} (spaces around {@code :}, {@code =} and between pairs are
   * free; a spec of only a name, with or without {@code :}, runs the base's settings under another
   * name, e.g. to measure the noise between two equal strategies). Blank text: no challengers.
   *
   * @throws IllegalArgumentException naming {@value #SETTING}, the spec and key at fault and what is
   *     allowed: an unknown key, a value out of range or not a number, a bad, reserved
   *     ({@value #DEFAULT}) or repeated name, more than {@value #MAX_CHALLENGERS} specs, or two names
   *     whose segment id ranges ({@link #idBase}) coincide
   */
  public static List<StrategySpec> parse(String text) {
    List<StrategySpec> specs = new ArrayList<>();
    if (text == null || text.isBlank()) return specs;
    Map<Integer, String> bases = new HashMap<>();
    for (String piece : text.split(";")) {
      if (piece.isBlank()) continue; // a trailing ';' is harmless
      StrategySpec spec = parseOne(piece.strip());
      if (spec.name().equals(DEFAULT)) {
        throw new IllegalArgumentException(SETTING + ": the name '" + DEFAULT + "' is reserved for the base strategy "
            + "(the segmenter.model.* settings): give the challenger another name");
      }
      for (StrategySpec earlier : specs) {
        if (earlier.name().equals(spec.name())) {
          throw new IllegalArgumentException(SETTING + ": strategy '" + spec.name() + "' is listed twice: names must be unique");
        }
      }
      String clash = bases.put(idBase(spec.name()), spec.name());
      if (clash != null) {
        throw new IllegalArgumentException(SETTING + ": strategies '" + clash + "' and '" + spec.name()
            + "' would share segment ids (the same id base " + idBase(clash) + "): rename one of them");
      }
      specs.add(spec);
    }
    if (specs.size() > MAX_CHALLENGERS) {
      throw new IllegalArgumentException(SETTING + ": " + specs.size() + " challengers listed (" + names(specs)
          + "): allowed at most " + MAX_CHALLENGERS);
    }
    return specs;
  }

  private static StrategySpec parseOne(String piece) {
    int colon = piece.indexOf(':');
    String name = (colon < 0 ? piece : piece.substring(0, colon)).strip();
    String body = colon < 0 ? "" : piece.substring(colon + 1).strip();
    if (colon < 0 && (name.contains("=") || name.chars().anyMatch(Character::isWhitespace))) {
      throw new IllegalArgumentException(SETTING + ": spec '" + piece + "' has no ':' after its name: write it as "
          + "name: key=value key=value (allowed keys: " + KEYS + ")");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(SETTING + ": strategy name '" + name + "' in spec '" + piece
          + "' is not allowed: " + NAME_RULE);
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (!body.isEmpty()) {
      for (String pair : body.replaceAll("\\s*=\\s*", "=").split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
          throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': '" + pair
              + "' is not key=value (allowed keys: " + KEYS + ")");
        }
        String key = pair.substring(0, eq);
        if (values.put(key, pair.substring(eq + 1)) != null) {
          throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': key '" + key + "' is given twice");
        }
      }
    }
    Integer k = null;
    Integer kMin = null;
    Integer kMax = null;
    Double decay = null;
    Integer refresh = null;
    Long seed = null;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      switch (key) {
        case "k" -> k = integer(name, key, value, "an integer in 0..64 (0 = choose k in [k.min, k.max])");
        case "k.min" -> kMin = integer(name, key, value, "an integer in 1..64");
        case "k.max" -> kMax = integer(name, key, value, "an integer in 1..64");
        case "decay.factor" -> decay = decimal(name, key, value);
        case "refresh.every.versions" -> refresh = integer(name, key, value, "an integer of at least 0 (0 = never)");
        case "seed" -> seed = seed(name, value);
        default -> throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': unknown key '" + key
            + "': allowed keys are " + KEYS);
      }
    }
    return new StrategySpec(name, k, kMin, kMax, decay, refresh, seed);
  }

  /**
   * The first segment id of a strategy: 0 for {@value #DEFAULT}; for any other name
   * {@code 1,000,000 * (1 + floorMod(h, 999))}, h the 32-bit FNV-1a hash of the name's UTF-8 bytes.
   * A strategy's segments are numbered from here, so the ids of two strategies never meet (each has a
   * million: centre ids are never reused, but a new one is taken only when a centre dies or a refresh
   * adds one) and a segment id alone says which strategy it belongs to. It is a function of the
   * name only, the same on every instance and in every release: a challenger promoted or restarted
   * keeps its ids, and stored assignments and tallies keep their meaning. ({@link #parse} refuses two
   * names with the same base; the chance for two random names is 1 in 999.)
   */
  public static int idBase(String name) {
    if (DEFAULT.equals(name)) return 0;
    return ID_RANGE * (1 + Math.floorMod(fnv1a32(name.getBytes(StandardCharsets.UTF_8)), 999));
  }

  /** FNV-1a, 32 bits (Fowler, Noll, Vo): fixed by its definition, unlike String.hashCode's contract. */
  static int fnv1a32(byte[] bytes) {
    int h = 0x811c9dc5; // offset basis
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193; // prime
    }
    return h;
  }

  private static void check(String name, String key, Object value, boolean ok, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': " + key + "=" + value
          + " is out of range: allowed " + allowed);
    }
  }

  private static Integer integer(String name, String key, String value, String allowed) {
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': " + key + "=" + value
          + " is not an integer: allowed " + allowed);
    }
  }

  private static Double decimal(String name, String key, String value) {
    try {
      double d = Double.parseDouble(value);
      if (Double.isFinite(d)) return d;
    } catch (NumberFormatException e) {
      // the message below says what is allowed
    }
    throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': " + key + "=" + value
        + " is not a number: allowed a number in 0.01..1.0 (1 = never forget)");
  }

  private static Long seed(String name, String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(SETTING + ": strategy '" + name + "': seed=" + value
          + " is not an integer: allowed any 64-bit integer");
    }
  }

  private static String names(List<StrategySpec> specs) {
    return String.join(", ", specs.stream().map(StrategySpec::name).toList());
  }
}
