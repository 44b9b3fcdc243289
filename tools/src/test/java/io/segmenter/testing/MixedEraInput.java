package io.segmenter.testing;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.OrderEvent;
import io.segmenter.replay.OnlineRetailOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two real data sets of different eras as one input: the REES46 clicks (October 2019) moved to start
 * on {@link #CLICKS_FROM}, to be sent first, and the UCI Online Retail orders of 2009-2010, to be sent
 * after them. Every other browser is also a buyer (their ids mapped onto the retail customers'), so
 * some customers have events of both eras.
 */
public record MixedEraInput(List<ClickEvent> clicks, OnlineRetailOrders.Result retail) {
  public static final Instant CLICKS_FROM = Instant.parse("2015-03-01T00:00:00Z");

  public static MixedEraInput read() {
    OnlineRetailOrders.Result retail = OnlineRetailOrders.read(OnlineRetailOrders.defaultLocation());
    List<String> buyers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OrderEvent o : retail.orders()) if (seen.add(o.getCustomerId())) buyers.add(o.getCustomerId());
    List<String> users = Rees46Clicks.userIds(Rees46Clicks.defaultLocation());
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < users.size(); i++) {
      ids.put(users.get(i), i % 2 == 0 && i / 2 < buyers.size() ? buyers.get(i / 2) : "rees46-" + users.get(i));
    }
    List<ClickEvent> clicks = Rees46Clicks.read(Rees46Clicks.defaultLocation(),
        Rees46Clicks.Options.defaults().startingAt(CLICKS_FROM).withCustomerIds(ids::get));
    return new MixedEraInput(clicks, retail);
  }

  public List<OrderEvent> orders() {
    return retail.orders();
  }
}
