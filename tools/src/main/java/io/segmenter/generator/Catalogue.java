package io.segmenter.generator;

import java.math.BigDecimal;
import java.util.List;

/**
 * A small fixed catalogue: 40 categories, each with the same 1,000 price points spread
 * log-uniformly from 1.00 to 500.00. A product is (category, price point), so its id alone fixes
 * its price: every view, cart add and order of a product shows the same price.
 */
final class Catalogue {
  static final List<String> CATEGORIES = List.of(
      "electronics.smartphone", "electronics.laptop", "electronics.audio", "electronics.camera", "electronics.accessory",
      "fashion.women", "fashion.men", "fashion.kids", "fashion.shoes", "fashion.bags",
      "home.kitchen", "home.furniture", "home.decor", "home.bedding", "home.lighting",
      "beauty.skincare", "beauty.makeup", "beauty.fragrance", "beauty.hair", "beauty.men",
      "sports.fitness", "sports.outdoor", "sports.cycling", "sports.running", "sports.team",
      "toys.baby", "toys.games", "toys.outdoor", "toys.educational", "toys.collectible",
      "books.fiction", "books.nonfiction", "books.children", "books.comics", "books.education",
      "grocery.snacks", "grocery.drinks", "grocery.pantry", "garden.plants", "garden.tools");

  static final int PRICE_POINTS = 1_000;
  private static final double MIN_PRICE = 1.0;
  private static final double MAX_PRICE = 500.0;
  private static final double LOG_RANGE = Math.log(MAX_PRICE / MIN_PRICE);

  private Catalogue() {
  }

  /** The price point whose price is nearest to target (clamped to the catalogue's range). */
  static int pricePoint(double target) {
    double clamped = Math.max(MIN_PRICE, Math.min(MAX_PRICE, target));
    return (int) Math.round(Math.log(clamped / MIN_PRICE) / LOG_RANGE * (PRICE_POINTS - 1));
  }

  /** Price of a price point in cents. */
  static long priceCents(int point) {
    return Math.round(MIN_PRICE * Math.exp(LOG_RANGE * point / (PRICE_POINTS - 1)) * 100);
  }

  /** Money with the scale of the Avro decimal(18,4) the schemas declare. */
  static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2).setScale(4);
  }

  static String productId(int category, int point) {
    return "p-" + Ids.pad(category, 2) + "-" + Ids.pad(point, 3);
  }
}
