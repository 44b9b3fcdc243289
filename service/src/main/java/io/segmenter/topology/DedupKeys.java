package io.segmenter.topology;

import io.segmenter.profile.RecentIds;

/**
 * The de-duplication id of an event, as the profile's {@link RecentIds} keeps it (hashed): {@code c:}
 * and a click's event id, or {@code o:}, the order id and the status (an order arrives once per
 * status: placed, then maybe returned, and each is a fact of its own). Ids are per customer: the
 * same event id under two customers is two events.
 */
final class DedupKeys {
  private DedupKeys() { }

  static long click(String eventId) {
    return RecentIds.hash("c:", eventId);
  }

  static long order(String orderId, String status) {
    return RecentIds.hash("o:", orderId, ":", status);
  }
}
